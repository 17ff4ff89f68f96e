package dev.keelson.reconcilers.podgc;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * What the pod garbage collector does with one pod, a pure decision: a pod bound to a node that
 * does not exist goes (once the node has been missing for a quarantine, so a node still registering
 * is not taken for a deleted one); a pod whose deletion is under way on a node that cannot finish
 * it (its agent silent: Ready Unknown) goes once its grace period is over. Either way it goes at
 * once (grace 0), since no agent is there to stop its containers; an agent that comes back removes
 * the containers of pods no longer in the API.
 */
final class PodGc {

  private PodGc() {}

  /** The decision: nothing, force-delete now, or look again later. */
  sealed interface Decision {}

  record Keep() implements Decision {}

  record ForceDelete(String reason) implements Decision {}

  record Wait(Duration delay) implements Decision {}

  static final Keep KEEP = new Keep();

  /**
   * @param pod the pod
   * @param node its node, or null when there is none of that name
   * @param missingSince when the node was first seen missing (null when it is there)
   * @param quarantine how long a node must be missing before its pods go
   */
  static Decision decide(
      JsonNode pod, JsonNode node, Instant missingSince, Duration quarantine, Instant now) {
    if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
      return KEEP;
    }
    if (node == null) {
      Instant due = missingSince.plus(quarantine);
      return now.isBefore(due)
          ? new Wait(Duration.between(now, due))
          : new ForceDelete("PodGC: node no longer exists");
    }
    String deletion = pod.path("metadata").path("deletionTimestamp").asText("");
    if (deletion.isEmpty() || !"Unknown".equals(readyStatus(node))) {
      return KEEP;
    }
    Instant due = parse(deletion);
    if (due != null && now.isBefore(due)) {
      return new Wait(Duration.between(now, due));
    }
    return new ForceDelete("PodGC: node is unreachable");
  }

  static String readyStatus(JsonNode node) {
    for (JsonNode condition : node.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return condition.path("status").asText();
      }
    }
    return null;
  }

  private static Instant parse(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
