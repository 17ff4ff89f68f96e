package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Upstream's autoscaling/v2 {@code SetDefaults_HorizontalPodAutoscaler}. */
final class AutoscalerDefaults {

  private AutoscalerDefaults() {}

  static void apply(ObjectNode hpa) {
    ObjectNode spec = PodDefaults.object(hpa, "spec");
    if (!Checks.present(spec, "minReplicas")) {
      spec.put("minReplicas", 1);
    }
    if (spec.path("metrics").isEmpty()) {
      ObjectNode metric = spec.putArray("metrics").addObject();
      metric.put("type", "Resource");
      ObjectNode resource = metric.putObject("resource");
      resource.put("name", "cpu");
      resource.putObject("target").put("type", "Utilization").put("averageUtilization", 80);
    }
    if (spec.get("behavior") instanceof ObjectNode behavior) {
      rules(PodDefaults.object(behavior, "scaleUp"), true);
      rules(PodDefaults.object(behavior, "scaleDown"), false);
    }
  }

  /** Fills the unset parts of a scaling rule; scale-down's window is left to the controller. */
  private static void rules(ObjectNode rules, boolean up) {
    PodDefaults.putIfAbsent(rules, "selectPolicy", "Max");
    if (up && !Checks.present(rules, "stabilizationWindowSeconds")) {
      rules.put("stabilizationWindowSeconds", 0);
    }
    JsonNode policies = rules.get("policies");
    if (policies == null || policies.isNull()) {
      ArrayNode list = rules.putArray("policies");
      if (up) {
        list.addObject().put("type", "Pods").put("value", 4).put("periodSeconds", 15);
      }
      list.addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
    }
  }
}
