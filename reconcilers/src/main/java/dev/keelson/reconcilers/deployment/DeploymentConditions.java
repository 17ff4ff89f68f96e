package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.util.Iterator;

/** A deployment's status.conditions, as upstream's deployment util keeps them. */
public final class DeploymentConditions {

  public static final String PROGRESSING = "Progressing";
  public static final String AVAILABLE = "Available";
  public static final String REPLICA_FAILURE = "ReplicaFailure";

  // Progressing reasons
  public static final String NEW_RS_CREATED = "NewReplicaSetCreated";
  public static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  public static final String RS_UPDATED = "ReplicaSetUpdated";
  public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  public static final String TIMED_OUT = "ProgressDeadlineExceeded";
  public static final String PAUSED = "DeploymentPaused";
  public static final String RESUMED = "DeploymentResumed";
  public static final String FAILED_RS_CREATE = "ReplicaSetCreateError";
  // Available reasons
  public static final String MIN_AVAILABLE = "MinimumReplicasAvailable";
  public static final String MIN_UNAVAILABLE = "MinimumReplicasUnavailable";

  private DeploymentConditions() {}

  public static JsonNode get(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  public static String reason(JsonNode status, String type) {
    JsonNode c = get(status, type);
    return c == null ? null : c.path("reason").asText(null);
  }

  /** Upstream's NewDeploymentCondition: updated and transitioned at {@code now}. */
  public static ObjectNode condition(
      String type, String status, String reason, String message, String now) {
    ObjectNode c = Json.object();
    c.put("type", type);
    c.put("status", status);
    c.put("lastUpdateTime", now);
    c.put("lastTransitionTime", now);
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  /**
   * Upstream's SetDeploymentCondition: nothing changes when a condition of the type has the same
   * status and reason; otherwise it replaces it (at the end), keeping its lastTransitionTime when
   * the status stays.
   */
  public static void set(ObjectNode status, ObjectNode condition) {
    JsonNode current = get(status, condition.path("type").asText());
    String newStatus = condition.path("status").asText();
    if (current != null
        && newStatus.equals(current.path("status").asText())
        && condition.path("reason").asText("").equals(current.path("reason").asText(""))) {
      return;
    }
    if (current != null && newStatus.equals(current.path("status").asText())) {
      condition.set("lastTransitionTime", current.path("lastTransitionTime"));
    }
    remove(status, condition.path("type").asText());
    conditions(status).add(condition);
  }

  public static void remove(ObjectNode status, String type) {
    if (!(status.get("conditions") instanceof ArrayNode conditions)) {
      return;
    }
    for (Iterator<JsonNode> it = conditions.iterator(); it.hasNext(); ) {
      if (type.equals(it.next().path("type").asText())) {
        it.remove();
      }
    }
    if (conditions.isEmpty()) {
      status.remove("conditions");
    }
  }

  private static ArrayNode conditions(ObjectNode status) {
    return status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
  }
}
