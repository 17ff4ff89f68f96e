package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's validation of autoscaling/v2 HorizontalPodAutoscalers and coordination.k8s.io/v1
 * Leases: the objects that steer replica counts and leaders.
 */
final class ScalingRules {

  private static final List<String> METRIC_TYPES =
      List.of("ContainerResource", "External", "Object", "Pods", "Resource");
  private static final List<String> TARGET_TYPES = List.of("AverageValue", "Utilization", "Value");

  private ScalingRules() {}

  static List<FieldCause> autoscaler(JsonNode hpa) {
    List<FieldCause> causes = MetaRules.create(hpa, true, MetaRules.NameRule.DNS_SUBDOMAIN);
    causes.addAll(autoscalerSpec(hpa.path("spec")));
    return causes;
  }

  static List<FieldCause> autoscalerUpdate(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = MetaRules.update(updated, existing);
    causes.addAll(autoscalerSpec(updated.path("spec")));
    return causes;
  }

  private static List<FieldCause> autoscalerSpec(JsonNode spec) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode min = spec.get("minReplicas");
    long max = spec.path("maxReplicas").asLong(0);
    if (min != null && min.isNumber() && min.asLong() < 1) {
      causes.add(FieldCause.invalid("spec.minReplicas", min.asLong(), "must be greater than 0"));
    }
    if (max < 1) {
      causes.add(FieldCause.invalid("spec.maxReplicas", max, "must be greater than 0"));
    }
    if (min != null && min.isNumber() && max < min.asLong()) {
      causes.add(
          FieldCause.invalid(
              "spec.maxReplicas", max, "must be greater than or equal to `minReplicas`"));
    }
    JsonNode target = spec.path("scaleTargetRef");
    for (String field : List.of("kind", "name")) {
      String value = Checks.text(target, field);
      String path = "spec.scaleTargetRef." + field;
      if (value.isEmpty()) {
        causes.add(FieldCause.required(path, ""));
      } else {
        Formats.pathSegment(value).forEach(m -> causes.add(FieldCause.invalid(path, value, m)));
      }
    }
    JsonNode metrics = spec.path("metrics");
    for (int i = 0; i < metrics.size(); i++) {
      causes.addAll(metric(metrics.get(i), "spec.metrics[" + i + "]"));
    }
    return causes;
  }

  private static List<FieldCause> metric(JsonNode metric, String path) {
    List<FieldCause> causes = new ArrayList<>();
    String type = Checks.text(metric, "type");
    if (type.isEmpty()) {
      causes.add(FieldCause.required(path + ".type", "must specify a metric source type"));
      return causes;
    }
    if (!METRIC_TYPES.contains(type)) {
      causes.add(FieldCause.notSupported(path + ".type", type, METRIC_TYPES));
      return causes;
    }
    String source = Character.toLowerCase(type.charAt(0)) + type.substring(1);
    if (!Checks.present(metric, source)) {
      causes.add(
          FieldCause.required(
              path + "." + source, "must populate information for the given metric source"));
      return causes;
    }
    if (type.equals("Resource") || type.equals("ContainerResource")) {
      JsonNode resource = metric.get(source);
      if (Checks.text(resource, "name").isEmpty()) {
        causes.add(
            FieldCause.required(path + "." + source + ".name", "must specify a resource name"));
      }
      JsonNode metricTarget = resource.path("target");
      String targetType = Checks.text(metricTarget, "type");
      String at = path + "." + source + ".target";
      if (targetType.isEmpty()) {
        causes.add(FieldCause.required(at + ".type", "must specify a metric target type"));
      } else if (!TARGET_TYPES.contains(targetType)) {
        causes.add(FieldCause.notSupported(at + ".type", targetType, TARGET_TYPES));
      }
      JsonNode utilization = metricTarget.get("averageUtilization");
      if (utilization != null && utilization.isNumber() && utilization.asLong() < 1) {
        causes.add(
            FieldCause.invalid(
                at + ".averageUtilization", utilization.asLong(), "must be greater than 0"));
      }
    }
    return causes;
  }

  static List<FieldCause> lease(JsonNode lease) {
    List<FieldCause> causes = MetaRules.create(lease, true, MetaRules.NameRule.DNS_SUBDOMAIN);
    causes.addAll(leaseSpec(lease.path("spec")));
    return causes;
  }

  static List<FieldCause> leaseUpdate(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = MetaRules.update(updated, existing);
    causes.addAll(leaseSpec(updated.path("spec")));
    return causes;
  }

  private static List<FieldCause> leaseSpec(JsonNode spec) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode duration = spec.get("leaseDurationSeconds");
    if (duration != null && duration.isNumber() && duration.asLong() <= 0) {
      causes.add(
          FieldCause.invalid(
              "spec.leaseDurationSeconds", duration.asLong(), "must be greater than 0"));
    }
    JsonNode transitions = spec.get("leaseTransitions");
    if (transitions != null && transitions.isNumber() && transitions.asLong() < 0) {
      causes.add(
          FieldCause.invalid(
              "spec.leaseTransitions", transitions.asLong(), "must be greater than or equal to 0"));
    }
    return causes;
  }
}
