package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.selector.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the workloads share: label selectors and pod templates. */
final class TemplateRules {

  private TemplateRules() {}

  /** Upstream's {@code ValidateLabelSelector}. */
  static List<FieldCause> selector(JsonNode selector, String path) {
    List<FieldCause> causes =
        new ArrayList<>(MetaRules.labels(selector.path("matchLabels"), path + ".matchLabels"));
    JsonNode expressions = selector.path("matchExpressions");
    for (int i = 0; i < expressions.size(); i++) {
      JsonNode expression = expressions.get(i);
      String at = path + ".matchExpressions[" + i + "]";
      String operator = Checks.text(expression, "operator");
      boolean hasValues = !expression.path("values").isEmpty();
      switch (operator) {
        case "In", "NotIn" -> {
          if (!hasValues) {
            causes.add(
                FieldCause.required(
                    at + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (hasValues) {
            causes.add(
                FieldCause.forbidden(
                    at + ".values",
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          }
        }
        default ->
            causes.add(
                FieldCause.invalid(at + ".operator", operator, "not a valid selector operator"));
      }
      String key = Checks.text(expression, "key");
      Formats.qualifiedName(key).forEach(m -> causes.add(FieldCause.invalid(at + ".key", key, m)));
    }
    return causes;
  }

  /** Whether the selector selects the labels; false when it cannot be read. */
  static boolean matches(JsonNode selector, JsonNode labels) {
    try {
      return LabelSelector.fromSpec(selector).matches(map(labels));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static boolean readable(JsonNode selector) {
    try {
      LabelSelector.fromSpec(selector);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static boolean empty(JsonNode selector) {
    return selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty();
  }

  static Map<String, String> map(JsonNode labels) {
    Map<String, String> map = new LinkedHashMap<>();
    labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  /** Upstream's {@code ValidatePodTemplateSpec}. */
  static List<FieldCause> podTemplate(JsonNode template, String path) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode meta = template.path("metadata");
    causes.addAll(MetaRules.labels(meta.path("labels"), path + ".labels"));
    causes.addAll(MetaRules.annotations(meta.path("annotations"), path + ".annotations"));
    causes.addAll(PodSpecRules.validate(template.path("spec"), path + ".spec", false));
    if (!template.path("spec").path("ephemeralContainers").isEmpty()) {
      causes.add(
          FieldCause.forbidden(
              path + ".spec.ephemeralContainers",
              "ephemeral containers not allowed in pod template"));
    }
    return causes;
  }

  /** The template of a ReplicaSet or Deployment: selected by the selector, always restarted. */
  static List<FieldCause> replicaSetTemplate(JsonNode spec, String path, String kind) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode template = spec.path("template");
    JsonNode selector = spec.path("selector");
    JsonNode labels = template.path("metadata").path("labels");
    if (!empty(selector) && !matches(selector, labels)) {
      causes.add(
          FieldCause.invalid(
              path + ".metadata.labels",
              GoValue.stringMap(template.path("metadata").get("labels")),
              "`selector` does not match template `labels`"));
    }
    causes.addAll(podTemplate(template, path));
    String restart = Checks.text(template.path("spec"), "restartPolicy");
    if (!restart.equals("Always")) {
      causes.add(FieldCause.notSupported(path + ".spec.restartPolicy", restart, List.of("Always")));
    }
    if (Checks.present(template.path("spec"), "activeDeadlineSeconds")) {
      causes.add(
          FieldCause.forbidden(
              path + ".spec.activeDeadlineSeconds",
              "activeDeadlineSeconds in " + kind + " is not Supported"));
    }
    return causes;
  }
}
