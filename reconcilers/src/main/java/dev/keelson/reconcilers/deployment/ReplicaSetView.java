package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Meta;
import dev.keelson.reconcilers.replicaset.Owners;
import dev.keelson.reconcilers.replicaset.PodStates;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A ReplicaSet as the deployment controller reasons about it: sizes wanted and seen, revision and
 * replica annotations, its pod template, and its ReplicaFailure condition (null when none).
 */
public record ReplicaSetView(
    String name,
    String uid,
    Instant created,
    int replicas,
    int statusReplicas,
    int readyReplicas,
    int availableReplicas,
    int minReadySeconds,
    long generation,
    long observedGeneration,
    boolean deleting,
    Map<String, String> annotations,
    JsonNode template,
    JsonNode failure) {

  public static final String REVISION = "deployment.kubernetes.io/revision";
  public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

  /** Oldest first, by name among equals (upstream's ReplicaSetsByCreationTimestamp). */
  public static final Comparator<ReplicaSetView> BY_CREATION =
      Comparator.comparing(
              (ReplicaSetView rs) -> rs.created() == null ? Instant.EPOCH : rs.created())
          .thenComparing(ReplicaSetView::name);

  public static ReplicaSetView of(JsonNode rs) {
    JsonNode spec = rs.path("spec");
    JsonNode status = rs.path("status");
    Map<String, String> annotations = new LinkedHashMap<>();
    rs.path("metadata")
        .path("annotations")
        .fields()
        .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    return new ReplicaSetView(
        Meta.name(rs),
        Meta.uid(rs),
        PodStates.created(rs),
        spec.path("replicas").asInt(1),
        status.path("replicas").asInt(0),
        status.path("readyReplicas").asInt(0),
        status.path("availableReplicas").asInt(0),
        spec.path("minReadySeconds").asInt(0),
        Meta.generation(rs),
        status.path("observedGeneration").asLong(0),
        Owners.deleting(rs),
        Map.copyOf(annotations),
        spec.path("template"),
        replicaFailure(status));
  }

  private static JsonNode replicaFailure(JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if ("ReplicaFailure".equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  public ReplicaSetView withReplicas(int count) {
    return new ReplicaSetView(
        name,
        uid,
        created,
        count,
        statusReplicas,
        readyReplicas,
        availableReplicas,
        minReadySeconds,
        generation,
        observedGeneration,
        deleting,
        annotations,
        template,
        failure);
  }

  /** The revision annotation: 0 when absent, empty when it is not a number. */
  public OptionalLong revision() {
    String text = annotations.get(REVISION);
    if (text == null) {
      return OptionalLong.of(0);
    }
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** An integer annotation, or null when absent or not a number. */
  public Integer intAnnotation(String key) {
    String text = annotations.get(key);
    try {
      return text == null ? null : Integer.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
