package dev.keelson.reconcilers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A node's conditions as the node lifecycle controller reads and writes them. */
final class NodeConditions {

  /** The conditions the agent owns, which turn Unknown when it goes silent (not the network's). */
  static final List<String> AGENT_OWNED =
      List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

  private NodeConditions() {}

  /** The condition of {@code type} of a node or pod, or null. */
  static JsonNode find(JsonNode object, String type) {
    for (JsonNode condition : object.path("status").path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return condition;
      }
    }
    return null;
  }

  /** The status (True, False, Unknown) of the condition {@code type}, or null without one. */
  static String status(JsonNode object, String type) {
    JsonNode condition = find(object, type);
    return condition == null ? null : condition.path("status").asText();
  }

  /**
   * Marks the agent's conditions Unknown, as upstream does when the kubelet stopped posting: a
   * condition the node never had is added (NodeStatusNeverUpdated), one that is not Unknown yet
   * becomes so (NodeStatusUnknown) with its lastHeartbeatTime kept, so that the change is not
   * mistaken for a heartbeat. Returns whether anything changed.
   */
  static boolean markUnknown(ObjectNode node, String now) {
    ObjectNode status = node.with("status");
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    boolean changed = false;
    for (String type : AGENT_OWNED) {
      JsonNode found = find(node, type);
      if (found == null) {
        ObjectNode added = conditions.addObject();
        added.put("type", type);
        added.put("status", "Unknown");
        added.put("lastHeartbeatTime", node.path("metadata").path("creationTimestamp").asText(now));
        added.put("lastTransitionTime", now);
        added.put("reason", "NodeStatusNeverUpdated");
        added.put("message", "Kubelet never posted node status.");
        changed = true;
      } else if (!"Unknown".equals(found.path("status").asText())) {
        ObjectNode condition = (ObjectNode) found;
        condition.put("status", "Unknown");
        condition.put("reason", "NodeStatusUnknown");
        condition.put("message", "Kubelet stopped posting node status.");
        condition.put("lastTransitionTime", now);
        changed = true;
      }
    }
    return changed;
  }
}
