package dev.keelson.reconcilers.job;

import dev.keelson.reconcilers.job.JobView.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one sync of a Job does: pods to delete or to create, the status it writes, and when to look
 * again.
 *
 * @param create how many pods to create
 * @param indexes the completion indexes of the pods to create, in an Indexed Job (else empty)
 * @param conditions conditions to set, in order (an interim one, then the terminal one it leads to)
 * @param completed whether the Job completes now (it gets its completionTime)
 * @param event the event the sync records about the Job (Completed, a failure, Suspended ...), or
 *     null
 * @param requeueAfter when to sync again by itself (a deadline, a back-off), or null
 * @param completedIndexes status.completedIndexes of an Indexed Job, else null
 */
record JobPlan(
    List<JobPod> delete,
    int create,
    List<Integer> indexes,
    int active,
    int ready,
    int terminating,
    int succeeded,
    int failed,
    Instant startTime,
    List<JobCondition> conditions,
    boolean completed,
    Event event,
    Duration requeueAfter,
    String completedIndexes) {

  /** An event about the Job. */
  record Event(boolean warning, String reason, String message) {}
}
