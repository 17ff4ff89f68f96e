package dev.keelson.reconcilers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.reconcilers.job.JobView.JobCondition;
import java.time.Instant;
import java.util.Objects;

/** A Job's status as a sync leaves it, written as upstream's (zero counters left out, say). */
final class JobStatus {

  private JobStatus() {}

  /**
   * Applies {@code plan} to {@code job}'s status at time {@code now} (RFC 3339), with {@code
   * active} the pods active after the sync's writes.
   */
  static void apply(ObjectNode job, JobPlan plan, int active, String now) {
    ObjectNode status = job.with("status");
    counter(status, "active", active);
    counter(status, "succeeded", plan.succeeded());
    counter(status, "failed", plan.failed());
    status.put("ready", plan.ready());
    status.put("terminating", plan.terminating());
    if (plan.startTime() != null
        && !plan.startTime().equals(JobPod.time(status.path("startTime")))) {
      status.put("startTime", format(plan.startTime()));
    }
    for (JobCondition condition : plan.conditions()) {
      setCondition(status, condition, now);
    }
    if (plan.completed() && !status.hasNonNull("completionTime")) {
      status.put("completionTime", now);
    }
    if (plan.completedIndexes() != null && !plan.completedIndexes().isEmpty()) {
      status.put("completedIndexes", plan.completedIndexes());
    } else {
      status.remove("completedIndexes");
    }
    if (!status.has("uncountedTerminatedPods")) {
      status.putObject("uncountedTerminatedPods");
    }
  }

  /** Upstream's omitempty counters: absent when zero. */
  private static void counter(ObjectNode status, String field, int value) {
    if (value > 0) {
      status.put(field, value);
    } else {
      status.remove(field);
    }
  }

  /**
   * Upstream's ensureJobConditionStatus: a condition of the same type is updated when it differs
   * (its transition time moves only when its status does); a new one is added only when True.
   */
  static void setCondition(ObjectNode status, JobCondition wanted, String now) {
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    for (JsonNode node : conditions) {
      if (node instanceof ObjectNode c && wanted.type().equals(c.path("type").asText())) {
        boolean statusChanged = !wanted.status().equals(c.path("status").asText());
        if (!statusChanged
            && Objects.equals(wanted.reason(), c.path("reason").asText(""))
            && Objects.equals(wanted.message(), c.path("message").asText(""))) {
          return;
        }
        fill(c, wanted, now, statusChanged ? now : c.path("lastTransitionTime").asText(now));
        return;
      }
    }
    if (wanted.isTrue()) {
      fill(conditions.addObject(), wanted, now, now);
    }
  }

  private static void fill(ObjectNode c, JobCondition wanted, String probe, String transition) {
    c.removeAll();
    c.put("type", wanted.type());
    c.put("status", wanted.status());
    c.put("lastProbeTime", probe);
    c.put("lastTransitionTime", transition);
    if (!wanted.reason().isEmpty()) {
      c.put("reason", wanted.reason());
    }
    if (!wanted.message().isEmpty()) {
      c.put("message", wanted.message());
    }
  }

  static String format(Instant time) {
    return time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
