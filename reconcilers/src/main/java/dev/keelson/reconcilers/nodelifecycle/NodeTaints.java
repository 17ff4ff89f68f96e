package dev.keelson.reconcilers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The taints the node lifecycle controller keeps on a node, as a function of its conditions:
 * upstream's NoExecute pass (not-ready when Ready is False, unreachable when it is Unknown, with
 * the time they were added, which starts the pods' tolerations) and its NoSchedule pass (one taint
 * per condition that keeps new pods away, and unschedulable for a cordoned node). Taints of anyone
 * else are left as they are.
 */
final class NodeTaints {

  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
  static final String NO_EXECUTE = "NoExecute";
  static final String NO_SCHEDULE = "NoSchedule";

  /** Condition type, then status, to the NoSchedule taint it brings (upstream's table). */
  private static final Map<String, Map<String, String>> CONDITION_TAINTS =
      Map.of(
          "Ready", Map.of("False", NOT_READY, "Unknown", UNREACHABLE),
          "MemoryPressure", Map.of("True", "node.kubernetes.io/memory-pressure"),
          "DiskPressure", Map.of("True", "node.kubernetes.io/disk-pressure"),
          "NetworkUnavailable", Map.of("True", "node.kubernetes.io/network-unavailable"),
          "PIDPressure", Map.of("True", "node.kubernetes.io/pid-pressure"));

  private static final Set<String> NO_SCHEDULE_KEYS = noScheduleKeys();

  private NodeTaints() {}

  /** A taint by key and effect, which is what identifies it on a node. */
  record Taint(String key, String effect) {}

  /**
   * The node's spec.taints as they should be: its own taints, less the controller's that no longer
   * apply, plus the controller's that now do (a NoExecute one with timeAdded {@code now}).
   */
  static ArrayNode desired(JsonNode node, String now) {
    Set<Taint> wanted = wanted(node);
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    Set<Taint> present = new LinkedHashSet<>();
    for (JsonNode taint : node.path("spec").path("taints")) {
      Taint t = new Taint(taint.path("key").asText(), taint.path("effect").asText());
      if (managed(t) && !wanted.contains(t)) {
        continue;
      }
      if (present.add(t)) {
        result.add(taint.deepCopy());
      }
    }
    for (Taint t : wanted) {
      if (!present.contains(t)) {
        var added = result.addObject().put("key", t.key()).put("effect", t.effect());
        if (t.effect().equals(NO_EXECUTE)) {
          added.put("timeAdded", now);
        }
      }
    }
    return result;
  }

  /** The controller's taints the node's conditions call for. */
  static Set<Taint> wanted(JsonNode node) {
    Set<Taint> wanted = new LinkedHashSet<>();
    String ready = NodeConditions.status(node, "Ready");
    if ("False".equals(ready)) {
      wanted.add(new Taint(NOT_READY, NO_EXECUTE));
    } else if ("Unknown".equals(ready)) {
      wanted.add(new Taint(UNREACHABLE, NO_EXECUTE));
    }
    for (JsonNode condition : node.path("status").path("conditions")) {
      String key =
          CONDITION_TAINTS
              .getOrDefault(condition.path("type").asText(), Map.of())
              .get(condition.path("status").asText());
      if (key != null) {
        wanted.add(new Taint(key, NO_SCHEDULE));
      }
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      wanted.add(new Taint(UNSCHEDULABLE, NO_SCHEDULE));
    }
    return wanted;
  }

  private static boolean managed(Taint t) {
    if (t.effect().equals(NO_EXECUTE)) {
      return t.key().equals(NOT_READY) || t.key().equals(UNREACHABLE);
    }
    return t.effect().equals(NO_SCHEDULE) && NO_SCHEDULE_KEYS.contains(t.key());
  }

  private static Set<String> noScheduleKeys() {
    Set<String> keys = new LinkedHashSet<>();
    CONDITION_TAINTS.values().forEach(m -> keys.addAll(m.values()));
    keys.add(UNSCHEDULABLE);
    return Set.copyOf(keys);
  }
}
