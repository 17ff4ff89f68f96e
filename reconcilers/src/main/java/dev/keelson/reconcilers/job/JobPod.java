package dev.keelson.reconcilers.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.StoredObject;
import java.time.Instant;
import java.util.Comparator;

/**
 * What the Job controller reads of one of its pods.
 *
 * @param finishedAt when it finished (succeeded or failed), as upstream's getFinishedTime reads it;
 *     null while it runs
 * @param restarts the restarts of its containers and init containers
 * @param index its completion index, in an Indexed Job (else null)
 */
record JobPod(
    ResourceKey key,
    String uid,
    String phase,
    boolean deleting,
    boolean assigned,
    boolean ready,
    int restarts,
    Instant created,
    Instant finishedAt,
    Integer index) {

  boolean succeeded() {
    return "Succeeded".equals(phase);
  }

  boolean failed() {
    return "Failed".equals(phase);
  }

  boolean terminal() {
    return succeeded() || failed();
  }

  /** Counts toward the Job's parallelism: neither finished nor being deleted. */
  boolean active() {
    return !terminal() && !deleting;
  }

  /** Being deleted, and not finished yet. */
  boolean terminating() {
    return deleting && !terminal();
  }

  /**
   * Upstream's order of pods to remove first (controller.ActivePods): unassigned before assigned,
   * Pending before Unknown before Running, not ready before ready, more restarts first, newer
   * first.
   */
  static final Comparator<JobPod> REMOVAL_ORDER =
      Comparator.comparing(JobPod::assigned)
          .thenComparingInt(p -> phaseRank(p.phase()))
          .thenComparing(JobPod::ready)
          .thenComparing(Comparator.comparingInt(JobPod::restarts).reversed())
          .thenComparing(JobPod::created, Comparator.nullsLast(Comparator.<Instant>reverseOrder()));

  private static int phaseRank(String phase) {
    return switch (phase) {
      case "Pending" -> 0;
      case "Running" -> 2;
      default -> 1;
    };
  }

  static JobPod of(StoredObject stored) {
    JsonNode pod = stored.object();
    JsonNode metadata = pod.path("metadata");
    JsonNode status = pod.path("status");
    String phase = status.path("phase").asText("Pending");
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    int restarts = 0;
    for (String field : new String[] {"containerStatuses", "initContainerStatuses"}) {
      for (JsonNode container : status.path(field)) {
        restarts += container.path("restartCount").asInt(0);
      }
    }
    return new JobPod(
        stored.key(),
        stored.uid(),
        phase,
        metadata.hasNonNull("deletionTimestamp"),
        !pod.path("spec").path("nodeName").asText("").isEmpty(),
        condition(status, "Ready", "True") != null,
        restarts,
        time(metadata.path("creationTimestamp")),
        terminal ? finishedAt(metadata, status) : null,
        CompletionIndexes.of(
            metadata.path("annotations").path(CompletionIndexes.ANNOTATION).asText(null)));
  }

  /**
   * Upstream's getFinishedTime: the Ready=False transition, else the last container to finish, else
   * the deletion, else the pod's creation.
   */
  private static Instant finishedAt(JsonNode metadata, JsonNode status) {
    JsonNode notReady = condition(status, "Ready", "False");
    if (notReady != null && time(notReady.path("lastTransitionTime")) != null) {
      return time(notReady.path("lastTransitionTime"));
    }
    Instant last = null;
    for (JsonNode container : status.path("containerStatuses")) {
      Instant t = time(container.path("state").path("terminated").path("finishedAt"));
      if (t != null && (last == null || t.isAfter(last))) {
        last = t;
      }
    }
    if (last != null) {
      return last;
    }
    Instant deleted = time(metadata.path("deletionTimestamp"));
    return deleted != null ? deleted : time(metadata.path("creationTimestamp"));
  }

  private static JsonNode condition(JsonNode status, String type, String value) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText()) && value.equals(c.path("status").asText())) {
        return c;
      }
    }
    return null;
  }

  static Instant time(JsonNode node) {
    if (!node.isTextual() || node.asText().isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(node.asText());
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
