package dev.keelson.apiserver.table;

import static dev.keelson.apiserver.table.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Deployments, ReplicaSets and Jobs, as upstream's printDeployment, printReplicaSet, printJob. */
final class WorkloadPrinters {

  private WorkloadPrinters() {}

  static Printer deployments() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.string("Ready", Docs.READY_PODS),
            Column.string("Up-to-date", Docs.DEPLOYMENT_UPDATED),
            Column.string("Available", Docs.DEPLOYMENT_AVAILABLE),
            Column.objectAge(),
            Column.wide("Containers", Docs.CONTAINERS),
            Column.wide("Images", Docs.IMAGES),
            Column.wide("Selector", Docs.DEPLOYMENT_SELECTOR)),
        (d, now) -> {
          JsonNode status = d.path("status");
          String selector;
          try {
            selector = Selectors.asString(d.path("spec").path("selector"));
          } catch (IllegalArgumentException e) {
            selector = "<invalid>";
          }
          List<Object> cells = new ArrayList<>();
          cells.add(text(d.path("metadata").path("name")));
          cells.add(status.path("readyReplicas").asLong(0) + "/" + desiredReplicas(d));
          cells.add(status.path("updatedReplicas").asLong(0));
          cells.add(status.path("availableReplicas").asLong(0));
          cells.add(Fields.age(d, now));
          cells.addAll(Fields.containersAndImages(d.path("spec").path("template").path("spec")));
          cells.add(selector);
          return cells;
        });
  }

  static Printer replicaSets() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.integer("Desired", Docs.REPLICA_SET_DESIRED),
            Column.integer("Current", Docs.REPLICA_SET_CURRENT),
            Column.integer("Ready", Docs.REPLICA_SET_READY),
            Column.objectAge(),
            Column.wide("Containers", Docs.CONTAINERS),
            Column.wide("Images", Docs.IMAGES),
            Column.wide("Selector", Docs.REPLICA_SET_SELECTOR)),
        (rs, now) -> {
          JsonNode status = rs.path("status");
          List<Object> cells = new ArrayList<>();
          cells.add(text(rs.path("metadata").path("name")));
          cells.add(desiredReplicas(rs));
          cells.add(status.path("replicas").asLong(0));
          cells.add(status.path("readyReplicas").asLong(0));
          cells.add(Fields.age(rs, now));
          cells.addAll(Fields.containersAndImages(rs.path("spec").path("template").path("spec")));
          cells.add(Selectors.format(rs.path("spec").path("selector")));
          return cells;
        });
  }

  static Printer jobs() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.string("Status", Docs.JOB_STATUS),
            Column.string("Completions", Docs.JOB_SUCCEEDED),
            Column.string("Duration", Docs.JOB_DURATION),
            Column.objectAge(),
            Column.wide("Containers", Docs.CONTAINERS),
            Column.wide("Images", Docs.IMAGES),
            Column.wide("Selector", Docs.JOB_SELECTOR)),
        (job, now) -> {
          List<Object> cells = new ArrayList<>();
          cells.add(text(job.path("metadata").path("name")));
          cells.add(jobStatus(job));
          cells.add(completions(job));
          cells.add(jobDuration(job.path("status"), now));
          cells.add(Fields.age(job, now));
          cells.addAll(Fields.containersAndImages(job.path("spec").path("template").path("spec")));
          cells.add(Selectors.format(job.path("spec").path("selector")));
          return cells;
        });
  }

  /** spec.replicas, which the API defaults to 1 when unset. */
  private static long desiredReplicas(JsonNode workload) {
    return Fields.number(workload.path("spec").path("replicas"), 1);
  }

  private static String jobStatus(JsonNode job) {
    JsonNode conditions = job.path("status").path("conditions");
    if (Fields.conditionTrue(conditions, "Complete")) {
      return "Complete";
    } else if (Fields.conditionTrue(conditions, "Failed")) {
      return "Failed";
    } else if (Fields.deleting(job)) {
      return "Terminating";
    } else if (Fields.conditionTrue(conditions, "Suspended")) {
      return "Suspended";
    } else if (Fields.conditionTrue(conditions, "FailureTarget")) {
      return "FailureTarget";
    }
    return "Running";
  }

  /**
   * "succeeded/completions", or for a work queue "succeeded/1 (of parallelism)". With neither set
   * the API defaults both to 1, so that job prints as one completion.
   */
  private static String completions(JsonNode job) {
    JsonNode spec = job.path("spec");
    long succeeded = job.path("status").path("succeeded").asLong(0);
    boolean hasCompletions = spec.path("completions").canConvertToLong();
    boolean hasParallelism = spec.path("parallelism").canConvertToLong();
    if (hasCompletions || !hasParallelism) {
      return succeeded + "/" + Fields.number(spec.path("completions"), 1);
    }
    long parallelism = spec.path("parallelism").asLong();
    return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
  }

  private static String jobDuration(JsonNode status, Instant now) {
    Instant start = Fields.time(status.path("startTime"));
    if (start == null) {
      return "";
    }
    Instant end = Fields.time(status.path("completionTime"));
    return HumanDuration.format(Duration.between(start, end == null ? now : end));
  }
}
