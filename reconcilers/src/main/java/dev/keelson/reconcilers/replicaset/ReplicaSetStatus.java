package dev.keelson.reconcilers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Upstream's calculateStatus of a ReplicaSet, from the active pods it owns. */
public final class ReplicaSetStatus {

  public static final String REPLICA_FAILURE = "ReplicaFailure";

  private ReplicaSetStatus() {}

  /**
   * The status {@code rs} should have with {@code pods}; {@code manageError} (null when none) is
   * reported as a ReplicaFailure condition (FailedCreate or FailedDelete) until a sync succeeds.
   */
  public static ObjectNode calculate(
      JsonNode rs, List<JsonNode> pods, String manageError, boolean creating, Instant now) {
    ObjectNode status =
        rs.get("status") instanceof ObjectNode current ? current.deepCopy() : Json.object();
    Map<String, String> templateLabels = Meta.labels(rs.path("spec").path("template"));
    int minReadySeconds = rs.path("spec").path("minReadySeconds").asInt(0);
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (JsonNode pod : pods) {
      if (Meta.labels(pod).entrySet().containsAll(templateLabels.entrySet())) {
        fullyLabeled++;
      }
      if (PodStates.ready(pod)) {
        ready++;
        if (PodStates.available(pod, minReadySeconds, now)) {
          available++;
        }
      }
    }
    boolean hasFailure = condition(status, REPLICA_FAILURE) != null;
    if (manageError != null && !hasFailure) {
      ObjectNode c = conditions(status).addObject();
      c.put("type", REPLICA_FAILURE);
      c.put("status", "True");
      c.put("lastTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
      c.put("reason", creating ? "FailedCreate" : "FailedDelete");
      c.put("message", manageError);
    } else if (manageError == null && hasFailure) {
      removeCondition(status, REPLICA_FAILURE);
    }
    status.put("replicas", pods.size());
    putCount(status, "fullyLabeledReplicas", fullyLabeled);
    putCount(status, "readyReplicas", ready);
    putCount(status, "availableReplicas", available);
    putCount(status, "observedGeneration", Meta.generation(rs));
    return status;
  }

  /** Whether {@code status} differs from what the ReplicaSet shows (upstream's skip check). */
  public static boolean changed(JsonNode rs, ObjectNode status) {
    return !sameJson(status, rs.path("status"));
  }

  /** Equal as JSON text would be: a number is equal whatever node type holds it. */
  public static boolean sameJson(JsonNode a, JsonNode b) {
    return a.equals(
        (x, y) ->
            x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue())
                : x.equals(y) ? 0 : 1,
        b);
  }

  /**
   * How long until the next of {@code pods} becomes available (ready for minReadySeconds), so the
   * ReplicaSet looks again then; empty when none is waiting.
   */
  public static Optional<Duration> nextAvailable(
      List<JsonNode> pods, int minReadySeconds, Instant now) {
    Optional<Duration> next = Optional.empty();
    for (JsonNode pod : pods) {
      Optional<Duration> d = PodStates.untilAvailable(pod, minReadySeconds, now);
      if (d.isPresent() && (next.isEmpty() || d.get().compareTo(next.get()) < 0)) {
        next = d;
      }
    }
    return next;
  }

  /** Upstream's omitempty: a zero count is left out. */
  private static void putCount(ObjectNode status, String field, long value) {
    if (value == 0) {
      status.remove(field);
    } else {
      status.put(field, value);
    }
  }

  private static ArrayNode conditions(ObjectNode status) {
    return status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
  }

  private static JsonNode condition(ObjectNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  private static void removeCondition(ObjectNode status, String type) {
    ArrayNode conditions = conditions(status);
    for (Iterator<JsonNode> it = conditions.iterator(); it.hasNext(); ) {
      if (type.equals(it.next().path("type").asText())) {
        it.remove();
      }
    }
    if (conditions.isEmpty()) {
      status.remove("conditions");
    }
  }
}
