package dev.keelson.reconcilers.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.util.List;

/**
 * An autoscaler's status as the sync rewrites it: the replica counts, the current metrics, the last
 * scale time, and the conditions AbleToScale, ScalingActive and ScalingLimited, each of which keeps
 * its lastTransitionTime while its status stays (upstream's setCondition).
 */
final class AutoscalerStatus {

  private final ObjectNode status;
  private final String now;

  /** Starts from {@code original} (the stored status, possibly missing); {@code now} RFC 3339. */
  AutoscalerStatus(JsonNode original, String now) {
    this.status = original.isObject() ? original.deepCopy() : Json.object();
    this.now = now;
  }

  void setCondition(String type, String conditionStatus, String reason, String message) {
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    ObjectNode condition = null;
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText()) && c instanceof ObjectNode o) {
        condition = o;
      }
    }
    if (condition == null) {
      condition = conditions.addObject();
      condition.put("type", type);
    }
    if (!conditionStatus.equals(condition.path("status").asText())) {
      condition.put("lastTransitionTime", now);
    }
    condition.put("status", conditionStatus);
    condition.put("reason", reason);
    condition.put("message", message);
  }

  void setCondition(String type, ScaleNormalizer.Condition condition) {
    setCondition(type, condition.status(), condition.reason(), condition.message());
  }

  /**
   * The counts and metrics of this sync (upstream's setStatus); the last scale time is kept, or set
   * to now with {@code rescaled}.
   */
  void set(int currentReplicas, int desiredReplicas, List<ObjectNode> metrics, boolean rescaled) {
    if (currentReplicas == 0) {
      status.remove("currentReplicas");
    } else {
      status.put("currentReplicas", currentReplicas);
    }
    status.put("desiredReplicas", desiredReplicas);
    if (metrics == null || metrics.isEmpty()) {
      status.remove("currentMetrics");
    } else {
      ArrayNode list = status.putArray("currentMetrics");
      metrics.forEach(list::add);
    }
    if (rescaled) {
      status.put("lastScaleTime", now);
    }
  }

  /** Only the current count changes: the desired count and metrics stay as they were. */
  void setCurrentReplicas(int currentReplicas) {
    if (currentReplicas == 0) {
      status.remove("currentReplicas");
    } else {
      status.put("currentReplicas", currentReplicas);
    }
    if (!status.has("desiredReplicas")) {
      status.put("desiredReplicas", 0);
    }
  }

  ObjectNode json() {
    return status;
  }
}
