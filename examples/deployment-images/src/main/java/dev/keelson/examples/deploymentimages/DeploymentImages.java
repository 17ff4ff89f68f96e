package dev.keelson.examples.deploymentimages;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The view: for every Deployment ({@code namespace/name}), every image its pod template has run, in
 * order, with who changed it, the revision and the time. Changed only by {@link #apply}, record by
 * record in offset order, and counting only applied changes: it folds each Deployment's records
 * with the rule of docs/topics.md, tracking the Deployment's current resourceVersion.
 */
public final class DeploymentImages {

  private static final String DEPLOYMENTS = "apps/Deployment/";

  /** What became of one record. */
  public enum Outcome {
    /** An applied change of a Deployment. */
    APPLIED,
    /** A Deployment change whose precondition did not hold: an attempt, ignored. */
    REJECTED,
    /** Not a change Keelson can read; Keelson skips it too. */
    SKIPPED,
    /** A change of another kind. */
    OTHER_KIND,
    /** An offset this view has already counted. */
    ALREADY_COUNTED
  }

  /**
   * What the view knows of one Deployment.
   *
   * @param resourceVersion its current resourceVersion, or null while it does not exist
   * @param images the image of each container of its current pod template
   * @param history every image it has run, in order, and its deletions
   */
  public record Deployment(
      String resourceVersion, Map<String, String> images, List<ImageChange> history) {

    public Deployment {
      images = Collections.unmodifiableMap(new LinkedHashMap<>(images));
      history = List.copyOf(history);
    }
  }

  /**
   * The whole view and the offset of the next record to read, which are saved together.
   *
   * @param topic the topic folded
   * @param nextOffset the offset of the first record not yet counted
   * @param rejected how many Deployment changes were rejected attempts
   * @param skipped how many records were not changes
   * @param deployments by {@code namespace/name}
   */
  public record State(
      String topic,
      long nextOffset,
      long rejected,
      long skipped,
      Map<String, Deployment> deployments) {

    public State {
      Objects.requireNonNull(topic, "topic");
      deployments = Collections.unmodifiableMap(new TreeMap<>(deployments));
    }

    public static State empty(String topic) {
      return new State(topic, 0, 0, 0, Map.of());
    }
  }

  private final String topic;
  private final Map<String, Deployment> deployments;
  private long nextOffset;
  private long rejected;
  private long skipped;

  public DeploymentImages(State state) {
    this.topic = state.topic();
    this.deployments = new TreeMap<>(state.deployments());
    this.nextOffset = state.nextOffset();
    this.rejected = state.rejected();
    this.skipped = state.skipped();
  }

  /** A copy of the view as it is now, to save or to show. */
  public State state() {
    return new State(topic, nextOffset, rejected, skipped, deployments);
  }

  public long nextOffset() {
    return nextOffset;
  }

  /** Counts the record at {@code offset} of the topic; records must come in offset order. */
  public Outcome apply(long offset, String key, byte[] value, long timestampMillis) {
    if (offset < nextOffset) {
      return Outcome.ALREADY_COUNTED;
    }
    // A record keyed as another kind is either that kind's change or skipped: no need to parse it.
    Outcome outcome =
        key != null && !key.startsWith(DEPLOYMENTS)
            ? Outcome.OTHER_KIND
            : ChangeRecord.read(key, value)
                .map(change -> decide(offset, change, timestampMillis))
                .orElse(Outcome.SKIPPED);
    nextOffset = offset + 1;
    rejected += outcome == Outcome.REJECTED ? 1 : 0;
    skipped += outcome == Outcome.SKIPPED ? 1 : 0;
    return outcome;
  }

  private Outcome decide(long offset, ChangeRecord change, long timestampMillis) {
    if (!change.key().startsWith(DEPLOYMENTS)) {
      return Outcome.OTHER_KIND;
    }
    String id = change.key().substring(DEPLOYMENTS.length());
    Deployment current = deployments.get(id);
    String version = current == null ? null : current.resourceVersion();
    boolean exists = version != null;
    boolean applies;
    if (exists && (change.op().equals("CREATE") || change.mustBeAbsent())) {
      applies = false; // already exists
    } else if (change.op().equals("CREATE")) {
      applies = true; // Deployments hold no claims
    } else if (!exists) {
      applies = false; // not found
    } else {
      applies = change.resourceVersion() == null || change.resourceVersion().equals(version);
    }
    if (!applies) {
      return Outcome.REJECTED;
    }
    String time =
        change.time() != null ? change.time() : Instant.ofEpochMilli(timestampMillis).toString();
    deployments.put(id, applied(current, change, offset + 1, time));
    return Outcome.APPLIED;
  }

  private static Deployment applied(
      Deployment current, ChangeRecord change, long revision, String time) {
    List<ImageChange> history = new ArrayList<>(current == null ? List.of() : current.history());
    if (change.op().equals("DELETE")) {
      history.add(ImageChange.deletion(revision, time, change.user()));
      return new Deployment(null, Map.of(), history);
    }
    Map<String, String> before = current == null ? Map.of() : current.images();
    Map<String, String> images = images(change.object());
    images.forEach(
        (container, image) -> {
          if (!image.equals(before.get(container))) {
            history.add(new ImageChange(revision, time, change.user(), container, image));
          }
        });
    return new Deployment(Long.toString(revision), images, history);
  }

  /** The image of each container of the pod template, init containers first. */
  private static Map<String, String> images(JsonNode deployment) {
    Map<String, String> images = new LinkedHashMap<>();
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode container : pod.path(list)) {
        String image = container.path("image").asText("");
        if (!image.isEmpty()) {
          images.put(container.path("name").asText(""), image);
        }
      }
    }
    return images;
  }
}
