package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Upstream's validation of apps/v1 Deployments and ReplicaSets. */
final class AppsRules {

  private AppsRules() {}

  static List<FieldCause> deployment(JsonNode deployment) {
    List<FieldCause> causes = MetaRules.create(deployment, true, MetaRules.NameRule.DNS_SUBDOMAIN);
    causes.addAll(deploymentSpec(deployment.path("spec")));
    return causes;
  }

  static List<FieldCause> deploymentUpdate(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = MetaRules.update(updated, existing);
    causes.addAll(deploymentSpec(updated.path("spec")));
    selectorImmutable(causes, updated, existing);
    return causes;
  }

  static List<FieldCause> replicaSet(JsonNode replicaSet) {
    List<FieldCause> causes = MetaRules.create(replicaSet, true, MetaRules.NameRule.DNS_SUBDOMAIN);
    causes.addAll(replicaSetSpec(replicaSet.path("spec")));
    return causes;
  }

  static List<FieldCause> replicaSetUpdate(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = MetaRules.update(updated, existing);
    causes.addAll(replicaSetSpec(updated.path("spec")));
    selectorImmutable(causes, updated, existing);
    return causes;
  }

  private static void selectorImmutable(
      List<FieldCause> causes, JsonNode updated, JsonNode existing) {
    JsonNode selector = updated.path("spec").path("selector");
    Checks.immutable(
        causes,
        "spec.selector",
        selector,
        existing.path("spec").path("selector"),
        GoValue.labelSelector(selector));
  }

  private static List<FieldCause> deploymentSpec(JsonNode spec) {
    List<FieldCause> causes = new ArrayList<>();
    Checks.nonNegative(causes, spec.get("replicas"), "spec.replicas");
    causes.addAll(selectorAndTemplate(spec));
    causes.addAll(strategy(spec.path("strategy")));
    Checks.nonNegative(causes, spec.get("minReadySeconds"), "spec.minReadySeconds");
    Checks.nonNegative(causes, spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit");
    JsonNode deadline = spec.get("progressDeadlineSeconds");
    if (deadline != null && deadline.isNumber()) {
      Checks.nonNegative(causes, deadline, "spec.progressDeadlineSeconds");
      if (deadline.asLong() <= spec.path("minReadySeconds").asLong(0)) {
        causes.add(
            FieldCause.invalid(
                "spec.progressDeadlineSeconds",
                deadline.asLong(),
                "must be greater than minReadySeconds"));
      }
    }
    return causes;
  }

  private static List<FieldCause> replicaSetSpec(JsonNode spec) {
    List<FieldCause> causes = new ArrayList<>();
    Checks.nonNegative(causes, spec.get("replicas"), "spec.replicas");
    Checks.nonNegative(causes, spec.get("minReadySeconds"), "spec.minReadySeconds");
    causes.addAll(selectorAndTemplate(spec));
    return causes;
  }

  private static List<FieldCause> selectorAndTemplate(JsonNode spec) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode selector = spec.get("selector");
    if (selector == null || !selector.isObject()) {
      causes.add(FieldCause.required("spec.selector", ""));
      return causes;
    }
    causes.addAll(TemplateRules.selector(selector, "spec.selector"));
    if (TemplateRules.empty(selector)) {
      // Upstream says "deployment" for ReplicaSets too.
      causes.add(
          FieldCause.invalid(
              "spec.selector",
              GoValue.labelSelector(selector),
              "empty selector is invalid for deployment"));
    }
    if (!TemplateRules.readable(selector)) {
      causes.add(
          FieldCause.invalid(
              "spec.selector", GoValue.labelSelector(selector), "invalid label selector"));
    } else {
      causes.addAll(TemplateRules.replicaSetTemplate(spec, "spec.template", "ReplicaSet"));
    }
    return causes;
  }

  private static List<FieldCause> strategy(JsonNode strategy) {
    List<FieldCause> causes = new ArrayList<>();
    String type = Checks.text(strategy, "type");
    JsonNode rolling = strategy.get("rollingUpdate");
    boolean hasRolling = rolling != null && !rolling.isNull();
    switch (type) {
      case "Recreate" -> {
        if (hasRolling) {
          causes.add(
              FieldCause.forbidden(
                  "spec.strategy.rollingUpdate",
                  "may not be specified when strategy `type` is 'Recreate'"));
        }
      }
      case "RollingUpdate" -> {
        if (!hasRolling) {
          causes.add(
              FieldCause.required(
                  "spec.strategy.rollingUpdate", "this should be defaulted and never be nil"));
        } else {
          causes.addAll(rollingUpdate(rolling, "spec.strategy.rollingUpdate"));
        }
      }
      default ->
          causes.add(
              FieldCause.notSupported(
                  "spec.strategy",
                  new GoValue.Raw(
                      "apps.DeploymentStrategy{Type:"
                          + GoValue.quote(type)
                          + ", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}"),
                  List.of("Recreate", "RollingUpdate")));
    }
    return causes;
  }

  private static List<FieldCause> rollingUpdate(JsonNode rolling, String path) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode unavailable = rolling.path("maxUnavailable");
    JsonNode surge = rolling.path("maxSurge");
    causes.addAll(intOrPercent(unavailable, path + ".maxUnavailable"));
    causes.addAll(intOrPercent(surge, path + ".maxSurge"));
    if (value(unavailable) == 0 && value(surge) == 0) {
      causes.add(
          FieldCause.invalid(
              path + ".maxUnavailable", shown(unavailable), "may not be 0 when `maxSurge` is 0"));
    }
    if (unavailable.isTextual()
        && Formats.percent(unavailable.asText()).isEmpty()
        && value(unavailable) > 100) {
      causes.add(
          FieldCause.invalid(
              path + ".maxUnavailable", shown(unavailable), "must not be greater than 100%"));
    }
    return causes;
  }

  private static List<FieldCause> intOrPercent(JsonNode value, String path) {
    List<FieldCause> causes = new ArrayList<>();
    if (value.isTextual()) {
      Formats.percent(value.asText())
          .forEach(m -> causes.add(FieldCause.invalid(path, shown(value), m)));
    } else {
      Checks.nonNegative(causes, value, path);
    }
    return causes;
  }

  /** An int-or-string prints as its string form, unquoted. */
  private static GoValue.Raw shown(JsonNode value) {
    return new GoValue.Raw(value.isMissingNode() ? "0" : value.asText());
  }

  private static long value(JsonNode value) {
    if (value.isTextual()) {
      String text = value.asText();
      if (Formats.percent(text).isEmpty()) {
        try {
          return Long.parseLong(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
          return Long.MAX_VALUE;
        }
      }
      return 0;
    }
    return value.asLong(0);
  }
}
