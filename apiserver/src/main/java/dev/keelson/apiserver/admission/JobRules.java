package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Upstream's validation of batch/v1 Jobs. */
final class JobRules {

  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  static final String JOB_NAME = "batch.kubernetes.io/job-name";
  static final String LEGACY_CONTROLLER_UID = "controller-uid";
  static final String LEGACY_JOB_NAME = "job-name";
  private static final List<String> COMPLETION_MODES = List.of("NonIndexed", "Indexed");
  private static final List<String> REPLACEMENT_POLICIES = List.of("Failed", "TerminatingOrFailed");

  private JobRules() {}

  static List<FieldCause> create(JsonNode job) {
    List<FieldCause> causes = MetaRules.create(job, true, MetaRules.NameRule.DNS_SUBDOMAIN);
    causes.addAll(generatedSelector(job));
    causes.addAll(spec(job.path("spec")));
    return causes;
  }

  static List<FieldCause> update(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = MetaRules.update(updated, existing);
    causes.addAll(generatedSelector(updated));
    JsonNode spec = updated.path("spec");
    JsonNode old = existing.path("spec");
    causes.addAll(spec(spec));
    boolean indexed = Checks.text(spec, "completionMode").equals("Indexed");
    if (!indexed) {
      Checks.immutable(
          causes, "spec.completions", spec.path("completions"), old.path("completions"));
    } else if (!Checks.same(spec.path("completions"), old.path("completions"))
        && Checks.present(spec, "completions")
        && spec.path("completions").asLong() != spec.path("parallelism").asLong()) {
      causes.add(
          FieldCause.invalid(
              "spec.completions",
              spec.path("completions").asLong(),
              "can only be modified in tandem with spec.parallelism"));
    }
    JsonNode selector = spec.path("selector");
    Checks.immutable(
        causes, "spec.selector", selector, old.path("selector"), GoValue.labelSelector(selector));
    templateImmutable(causes, updated, existing);
    for (String field :
        List.of(
            "completionMode",
            "podFailurePolicy",
            "backoffLimitPerIndex",
            "managedBy",
            "successPolicy")) {
      Checks.immutable(causes, "spec." + field, spec.path(field), old.path(field));
    }
    return causes;
  }

  /** Only a suspended Job that never started may change where its pods run. */
  private static void templateImmutable(
      List<FieldCause> causes, JsonNode updated, JsonNode existing) {
    JsonNode template = updated.path("spec").path("template");
    ObjectNode old = existing.path("spec").path("template").deepCopy();
    boolean mutable =
        existing.path("spec").path("suspend").asBoolean(false)
            && !Checks.present(existing.path("status"), "startTime");
    if (mutable && old.isObject()) {
      ObjectNode oldSpec = child(old, "spec");
      for (String field : List.of("nodeSelector", "tolerations", "schedulingGates")) {
        copy(template.path("spec"), oldSpec, field);
      }
      ObjectNode affinity = child(oldSpec, "affinity");
      copy(template.path("spec").path("affinity"), affinity, "nodeAffinity");
      ObjectNode meta = child(old, "metadata");
      copy(template.path("metadata"), meta, "labels");
      copy(template.path("metadata"), meta, "annotations");
    }
    Checks.immutable(
        causes,
        "spec.template",
        template,
        old,
        new GoValue.Raw("core.PodTemplateSpec" + Json.text(template)));
  }

  private static ObjectNode child(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    return child instanceof ObjectNode object ? object : parent.putObject(field);
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    to.remove(field);
    if (from.has(field)) {
      to.set(field, from.get(field).deepCopy());
    }
  }

  private static List<FieldCause> spec(JsonNode spec) {
    List<FieldCause> causes = new ArrayList<>();
    for (String field :
        List.of(
            "parallelism",
            "completions",
            "activeDeadlineSeconds",
            "backoffLimit",
            "ttlSecondsAfterFinished",
            "backoffLimitPerIndex",
            "maxFailedIndexes")) {
      Checks.nonNegative(causes, spec.get(field), "spec." + field);
    }
    String mode = Checks.text(spec, "completionMode");
    if (Checks.present(spec, "completionMode") && !COMPLETION_MODES.contains(mode)) {
      causes.add(FieldCause.notSupported("spec.completionMode", mode, COMPLETION_MODES));
    }
    if (mode.equals("Indexed") && !Checks.present(spec, "completions")) {
      causes.add(FieldCause.required("spec.completions", "when completion mode is Indexed"));
    }
    String replacement = Checks.text(spec, "podReplacementPolicy");
    if (Checks.present(spec, "podReplacementPolicy")
        && !REPLACEMENT_POLICIES.contains(replacement)) {
      causes.add(
          FieldCause.notSupported("spec.podReplacementPolicy", replacement, REPLACEMENT_POLICIES));
    }
    JsonNode template = spec.path("template");
    causes.addAll(TemplateRules.podTemplate(template, "spec.template"));
    String restart = Checks.text(template.path("spec"), "restartPolicy");
    if (restart.isEmpty() || restart.equals("Always")) {
      causes.add(
          FieldCause.required(
              "spec.template.spec.restartPolicy", "valid values: \"OnFailure\", \"Never\""));
    } else if (!restart.equals("OnFailure") && !restart.equals("Never")) {
      causes.add(
          FieldCause.notSupported(
              "spec.template.spec.restartPolicy", restart, List.of("OnFailure", "Never")));
    }
    JsonNode selector = spec.get("selector");
    if (selector == null || !selector.isObject()) {
      causes.add(FieldCause.required("spec.selector", ""));
    } else {
      causes.addAll(TemplateRules.selector(selector, "spec.selector"));
      JsonNode labels = template.path("metadata").path("labels");
      if (TemplateRules.readable(selector) && !TemplateRules.matches(selector, labels)) {
        causes.add(
            FieldCause.invalid(
                "spec.template.metadata.labels",
                GoValue.stringMap(template.path("metadata").get("labels")),
                "`selector` does not match template `labels`"));
      }
    }
    return causes;
  }

  /** Unless the selector is manual, it and the template's labels must be the generated ones. */
  private static List<FieldCause> generatedSelector(JsonNode job) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode spec = job.path("spec");
    JsonNode selector = spec.get("selector");
    if (spec.path("manualSelector").asBoolean(false) || selector == null || !selector.isObject()) {
      return causes;
    }
    String uid = job.path("metadata").path("uid").asText("");
    String name = job.path("metadata").path("name").asText("");
    if (uid.isEmpty()) {
      causes.add(FieldCause.required("metadata.uid", ""));
    }
    JsonNode labels = spec.path("template").path("metadata").path("labels");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put(LEGACY_CONTROLLER_UID, uid);
    expected.put(LEGACY_JOB_NAME, name);
    expected.put(CONTROLLER_UID, uid);
    expected.put(JOB_NAME, name);
    expected.forEach(
        (key, value) -> {
          String path = "spec.template.metadata.labels[" + key + "]";
          if (!labels.has(key)) {
            causes.add(FieldCause.required(path, "must be '" + value + "'"));
          } else if (!labels.get(key).asText().equals(value)) {
            causes.add(
                FieldCause.invalid(
                    path,
                    GoValue.stringMap(spec.path("template").path("metadata").get("labels")),
                    "must be '" + value + "'"));
          }
        });
    if (TemplateRules.readable(selector)
        && !TemplateRules.matches(selector, Json.mapper().valueToTree(expected))) {
      causes.add(
          FieldCause.invalid(
              "spec.selector", GoValue.labelSelector(selector), "`selector` not auto-generated"));
    }
    return causes;
  }
}
