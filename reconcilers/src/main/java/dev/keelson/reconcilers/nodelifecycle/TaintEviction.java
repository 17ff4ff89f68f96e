package dev.keelson.reconcilers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * When a pod on a node with NoExecute taints has to go, as upstream's taint eviction controller
 * decides it: at once when a taint is not tolerated; else when the shortest tolerationSeconds of
 * the tolerations in use runs out, counted from when the taints were added; never when every
 * toleration in use lasts forever.
 *
 * <p>The API's admission gives every pod a 300 s toleration of not-ready and unreachable
 * (upstream's DefaultTolerationSeconds), so a pod without one was stored by a path that skipped it;
 * such a pod tolerates those two taints for the controller's pod eviction timeout, as if it had
 * one.
 */
final class TaintEviction {

  private TaintEviction() {}

  /**
   * @param tolerations the pod's spec.tolerations
   * @param taints the node's spec.taints (only NoExecute ones count)
   * @param defaultToleration how long a pod tolerates not-ready and unreachable when it says
   *     nothing
   * @param addedAt when a taint was added (its timeAdded, or when it was first seen without one)
   * @return when the pod is to be evicted, or empty for never
   */
  static Optional<Instant> evictionTime(
      JsonNode tolerations,
      JsonNode taints,
      Duration defaultToleration,
      Function<JsonNode, Instant> addedAt) {
    Instant start = null;
    Duration shortest = null;
    for (JsonNode taint : taints) {
      if (!NodeTaints.NO_EXECUTE.equals(taint.path("effect").asText())) {
        continue;
      }
      Instant added = addedAt.apply(taint);
      start = start == null || added.isBefore(start) ? added : start;
      Duration tolerated = tolerated(tolerations, taint, defaultToleration);
      if (tolerated == null) {
        continue; // tolerated forever
      }
      shortest = shortest == null || tolerated.compareTo(shortest) < 0 ? tolerated : shortest;
    }
    if (shortest == null) {
      return Optional.empty();
    }
    return Optional.of(shortest.isZero() ? Instant.MIN : start.plus(shortest));
  }

  /**
   * How long the first toleration that tolerates {@code taint} lasts: null for ever, zero for not
   * at all (no toleration, or one of zero or fewer seconds).
   */
  static Duration tolerated(JsonNode tolerations, JsonNode taint, Duration defaultToleration) {
    for (JsonNode toleration : tolerations) {
      if (tolerates(toleration, taint)) {
        JsonNode seconds = toleration.get("tolerationSeconds");
        if (seconds == null || seconds.isNull()) {
          return null;
        }
        return seconds.asLong() <= 0 ? Duration.ZERO : Duration.ofSeconds(seconds.asLong());
      }
    }
    String key = taint.path("key").asText();
    if (key.equals(NodeTaints.NOT_READY) || key.equals(NodeTaints.UNREACHABLE)) {
      return defaultToleration;
    }
    return Duration.ZERO;
  }

  /** Upstream's Toleration.ToleratesTaint. */
  static boolean tolerates(JsonNode toleration, JsonNode taint) {
    String effect = toleration.path("effect").asText("");
    if (!effect.isEmpty() && !effect.equals(taint.path("effect").asText())) {
      return false;
    }
    String key = toleration.path("key").asText("");
    if (!key.isEmpty() && !key.equals(taint.path("key").asText())) {
      return false;
    }
    String operator = toleration.path("operator").asText("");
    if (operator.isEmpty() || operator.equals("Equal")) {
      return toleration.path("value").asText("").equals(taint.path("value").asText(""));
    }
    return operator.equals("Exists");
  }
}
