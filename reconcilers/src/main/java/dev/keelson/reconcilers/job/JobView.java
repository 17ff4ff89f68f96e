package dev.keelson.reconcilers.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Meta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Job controller reads of a batch/v1 Job (as the API defaulted it).
 *
 * @param completions null for a work queue (a Job done once any pod succeeds)
 * @param activeDeadlineSeconds null for none
 * @param indexed completionMode Indexed: each index up to completions succeeds once
 * @param completedIndexes status.completedIndexes of an Indexed Job
 * @param onlyReplaceFailed podReplacementPolicy Failed: a pod being deleted is replaced only once
 *     it has stopped (the default, TerminatingOrFailed, replaces it at once)
 */
record JobView(
    String name,
    String uid,
    int parallelism,
    Integer completions,
    int backoffLimit,
    Long activeDeadlineSeconds,
    boolean suspend,
    String restartPolicy,
    boolean onlyReplaceFailed,
    boolean deleting,
    Instant startTime,
    int succeeded,
    int failed,
    List<JobCondition> conditions,
    boolean indexed,
    String completedIndexes) {

  /** One entry of status.conditions. */
  record JobCondition(String type, String status, String reason, String message) {
    boolean isTrue() {
      return "True".equals(status);
    }
  }

  /** The condition of {@code type} with status True, or null. */
  JobCondition trueCondition(String type) {
    for (JobCondition c : conditions) {
      if (c.type().equals(type) && c.isTrue()) {
        return c;
      }
    }
    return null;
  }

  /** Complete or Failed: nothing more is done for it. */
  boolean finished() {
    return trueCondition(JobSync.COMPLETE) != null || trueCondition(JobSync.FAILED) != null;
  }

  static JobView of(JsonNode job) {
    JsonNode spec = job.path("spec");
    JsonNode status = job.path("status");
    List<JobCondition> conditions = new ArrayList<>();
    for (JsonNode c : status.path("conditions")) {
      conditions.add(
          new JobCondition(
              c.path("type").asText(""),
              c.path("status").asText(""),
              c.path("reason").asText(""),
              c.path("message").asText("")));
    }
    return new JobView(
        Meta.name(job),
        Meta.uid(job),
        spec.path("parallelism").asInt(1),
        spec.path("completions").canConvertToInt() ? spec.path("completions").asInt() : null,
        spec.path("backoffLimit").asInt(6),
        spec.path("activeDeadlineSeconds").canConvertToLong()
            ? spec.path("activeDeadlineSeconds").asLong()
            : null,
        spec.path("suspend").asBoolean(false),
        spec.path("template").path("spec").path("restartPolicy").asText("Never"),
        "Failed".equals(spec.path("podReplacementPolicy").asText())
            || spec.hasNonNull("podFailurePolicy"),
        job.path("metadata").hasNonNull("deletionTimestamp"),
        JobPod.time(status.path("startTime")),
        status.path("succeeded").asInt(0),
        status.path("failed").asInt(0),
        List.copyOf(conditions),
        "Indexed".equals(spec.path("completionMode").asText())
            && spec.path("completions").canConvertToInt(),
        status.path("completedIndexes").asText(""));
  }
}
