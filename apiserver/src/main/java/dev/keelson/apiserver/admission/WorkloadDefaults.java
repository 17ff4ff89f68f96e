package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Upstream's apps/v1 and batch/v1 defaults, and the selector a Job generates on creation. */
final class WorkloadDefaults {

  private WorkloadDefaults() {}

  static void deployment(ObjectNode deployment) {
    ObjectNode spec = PodDefaults.object(deployment, "spec");
    defaultInt(spec, "replicas", 1);
    ObjectNode strategy = PodDefaults.object(spec, "strategy");
    PodDefaults.putIfAbsent(strategy, "type", "RollingUpdate");
    if (Checks.text(strategy, "type").equals("RollingUpdate")) {
      ObjectNode rolling = PodDefaults.object(strategy, "rollingUpdate");
      if (!Checks.present(rolling, "maxUnavailable")) {
        rolling.put("maxUnavailable", "25%");
      }
      if (!Checks.present(rolling, "maxSurge")) {
        rolling.put("maxSurge", "25%");
      }
    }
    defaultInt(spec, "revisionHistoryLimit", 10);
    defaultInt(spec, "progressDeadlineSeconds", 600);
    template(spec);
  }

  static void replicaSet(ObjectNode replicaSet) {
    ObjectNode spec = PodDefaults.object(replicaSet, "spec");
    defaultInt(spec, "replicas", 1);
    template(spec);
  }

  static void job(ObjectNode job) {
    ObjectNode spec = PodDefaults.object(job, "spec");
    if (!Checks.present(spec, "completions") && !Checks.present(spec, "parallelism")) {
      spec.put("completions", 1);
    }
    defaultInt(spec, "parallelism", 1);
    if (!Checks.present(spec, "backoffLimit")) {
      spec.put(
          "backoffLimit", Checks.present(spec, "backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
    }
    PodDefaults.putIfAbsent(spec, "completionMode", "NonIndexed");
    if (!Checks.present(spec, "suspend")) {
      spec.put("suspend", false);
    }
    PodDefaults.putIfAbsent(
        spec,
        "podReplacementPolicy",
        Checks.present(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
    if (!Checks.present(spec, "manualSelector")) {
      spec.put("manualSelector", false);
    }
    template(spec);
  }

  /**
   * Upstream's Job {@code PrepareForCreate}: unless the selector is manual, label the template with
   * the Job's name and uid and select on the uid. The Job's own labels copy the template's when it
   * had none, as upstream's defaulting shares one map between the two.
   */
  static void jobSelector(ObjectNode job) {
    ObjectNode spec = PodDefaults.object(job, "spec");
    JsonNode templateLabels = spec.path("template").path("metadata").get("labels");
    boolean sharedLabels =
        templateLabels != null
            && templateLabels.isObject()
            && job.path("metadata").path("labels").isEmpty();
    if (spec.path("manualSelector").asBoolean(false)) {
      copySharedLabels(job, sharedLabels);
      return;
    }
    String name = job.path("metadata").path("name").asText("");
    String uid = job.path("metadata").path("uid").asText("");
    ObjectNode labels =
        PodDefaults.object(
            PodDefaults.object(PodDefaults.object(spec, "template"), "metadata"), "labels");
    for (String key : List.of(JobRules.LEGACY_JOB_NAME, JobRules.JOB_NAME)) {
      PodDefaults.putIfAbsent(labels, key, name);
    }
    for (String key : List.of(JobRules.LEGACY_CONTROLLER_UID, JobRules.CONTROLLER_UID)) {
      if (!labels.has(key)) {
        labels.put(key, uid);
      }
    }
    ObjectNode matchLabels =
        PodDefaults.object(PodDefaults.object(spec, "selector"), "matchLabels");
    if (!matchLabels.has(JobRules.CONTROLLER_UID)) {
      matchLabels.put(JobRules.CONTROLLER_UID, uid);
    }
    copySharedLabels(job, sharedLabels);
  }

  private static void copySharedLabels(ObjectNode job, boolean shared) {
    JsonNode labels = job.path("spec").path("template").path("metadata").get("labels");
    if (shared && labels != null) {
      PodDefaults.object(job, "metadata").set("labels", labels.deepCopy());
    }
  }

  private static void template(ObjectNode spec) {
    PodDefaults.spec(PodDefaults.object(PodDefaults.object(spec, "template"), "spec"));
  }

  private static void defaultInt(ObjectNode node, String field, int value) {
    if (!Checks.present(node, field)) {
      node.put(field, value);
    }
  }
}
