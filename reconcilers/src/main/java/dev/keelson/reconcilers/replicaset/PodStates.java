package dev.keelson.reconcilers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Upstream's podutil questions about one pod (as JSON): active, ready, available. */
public final class PodStates {

  private PodStates() {}

  /** Neither succeeded nor failed, and not being deleted (upstream's IsPodActive). */
  public static boolean active(JsonNode pod) {
    String phase = phase(pod);
    return !"Succeeded".equals(phase)
        && !"Failed".equals(phase)
        && !pod.path("metadata").hasNonNull("deletionTimestamp");
  }

  public static String phase(JsonNode pod) {
    return pod.path("status").path("phase").asText("");
  }

  public static String nodeName(JsonNode pod) {
    return pod.path("spec").path("nodeName").asText("");
  }

  public static boolean ready(JsonNode pod) {
    JsonNode ready = readyCondition(pod);
    return ready != null && "True".equals(ready.path("status").asText());
  }

  /** When a ready pod became ready (null when it is not ready or does not say). */
  public static Instant readySince(JsonNode pod) {
    if (!ready(pod)) {
      return null;
    }
    return time(readyCondition(pod).path("lastTransitionTime").asText(""));
  }

  /**
   * Ready for longer than {@code minReadySeconds} at {@code now} (upstream's IsPodAvailable: with
   * minReadySeconds 0 a ready pod is available at once).
   */
  public static boolean available(JsonNode pod, int minReadySeconds, Instant now) {
    if (!ready(pod)) {
      return false;
    }
    if (minReadySeconds == 0) {
      return true;
    }
    Instant since = readySince(pod);
    return since != null && since.plusSeconds(minReadySeconds).isBefore(now);
  }

  /**
   * How long until a ready pod that is not available yet becomes available; empty when it is not
   * ready, or available already.
   */
  public static Optional<Duration> untilAvailable(JsonNode pod, int minReadySeconds, Instant now) {
    if (minReadySeconds == 0 || !ready(pod) || available(pod, minReadySeconds, now)) {
      return Optional.empty();
    }
    Instant since = readySince(pod);
    if (since == null) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, since.plusSeconds(minReadySeconds)));
  }

  public static int maxRestarts(JsonNode pod) {
    int max = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      max = Math.max(max, status.path("restartCount").asInt(0));
    }
    return max;
  }

  public static Instant created(JsonNode object) {
    return time(object.path("metadata").path("creationTimestamp").asText(""));
  }

  /** An RFC 3339 time, or null when absent or malformed. */
  public static Instant time(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static JsonNode readyCondition(JsonNode pod) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return condition;
      }
    }
    return null;
  }
}
