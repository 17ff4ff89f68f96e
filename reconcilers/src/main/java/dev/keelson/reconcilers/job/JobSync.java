package dev.keelson.reconcilers.job;

import dev.keelson.reconcilers.job.JobPlan.Event;
import dev.keelson.reconcilers.job.JobView.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

/**
 * Upstream's syncJob for a NonIndexed or Indexed Job, as a plain function of the Job, its pods and
 * the time: how many pods it wants running, whether it has failed (too many failures, past its
 * deadline) or completed, and the status that says so. A finished Job first gets the interim
 * condition (FailureTarget, SuccessCriteriaMet) and its active pods deleted; the terminal one
 * (Failed, Complete) follows once none of its pods is still terminating.
 */
final class JobSync {

  static final String COMPLETE = "Complete";
  static final String FAILED = "Failed";
  static final String FAILURE_TARGET = "FailureTarget";
  static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
  static final String SUSPENDED = "Suspended";

  /** Upstream's cap on the pods one sync creates or deletes. */
  static final int MAX_PODS_PER_SYNC = 500;

  private JobSync() {}

  /**
   * @param satisfied whether the creations and deletions of earlier syncs have all been seen: until
   *     they are, no pod is created or deleted for the parallelism and no condition is declared
   */
  static JobPlan decide(
      JobView job, List<JobPod> pods, Instant now, boolean satisfied, PodFailureBackoff backoff) {
    Tally t = new Tally(job, pods, now);
    JobCondition finished = finishedCondition(job, pods, t.startTime, now);
    if (finished == null && job.activeDeadlineSeconds() != null && !job.suspend()) {
      t.requeue(Duration.between(now, t.startTime.plusSeconds(job.activeDeadlineSeconds())));
    }
    if (finished != null) {
      t.remove(t.active);
      if (satisfied) {
        t.declare(finished);
      }
      return t.plan();
    }
    boolean managed = satisfied && !job.deleting();
    if (managed) {
      manage(job, pods, now, backoff, t);
    }
    boolean reached =
        job.completions() == null ? t.succeeded > 0 : t.succeeded >= job.completions();
    if (reached && t.activeCount() == 0) {
      t.declare(
          new JobCondition(
              SUCCESS_CRITERIA_MET,
              "True",
              "CompletionsReached",
              "Reached expected number of succeeded pods"));
    } else if (managed) {
      t.suspension(job, now);
    }
    return t.plan();
  }

  /** The interim condition a Job has or now earns, or null while it runs on. */
  private static JobCondition finishedCondition(
      JobView job, List<JobPod> pods, Instant start, Instant now) {
    JobCondition held = job.trueCondition(SUCCESS_CRITERIA_MET);
    if (held == null) {
      held = job.trueCondition(FAILURE_TARGET);
    }
    if (held != null) {
      return held;
    }
    int failed = Math.max(job.failed(), (int) pods.stream().filter(JobPod::failed).count());
    if (failed > job.backoffLimit() || pastBackoffLimitOnFailure(job, pods)) {
      return new JobCondition(
          FAILURE_TARGET,
          "True",
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit");
    }
    if (job.activeDeadlineSeconds() != null
        && !job.suspend()
        && start != null
        && !now.isBefore(start.plusSeconds(job.activeDeadlineSeconds()))) {
      return new JobCondition(
          FAILURE_TARGET,
          "True",
          "DeadlineExceeded",
          "Job was active longer than specified deadline");
    }
    return null;
  }

  /** Under restartPolicy OnFailure, container restarts of running pods count as failures. */
  static boolean pastBackoffLimitOnFailure(JobView job, List<JobPod> pods) {
    if (!"OnFailure".equals(job.restartPolicy())) {
      return false;
    }
    int restarts = 0;
    for (JobPod pod : pods) {
      if ("Running".equals(pod.phase()) || "Pending".equals(pod.phase())) {
        restarts += pod.restarts();
      }
    }
    return job.backoffLimit() == 0 ? restarts > 0 : restarts >= job.backoffLimit();
  }

  /** Upstream's manageJob: as many active pods as the Job wants, no more. */
  private static void manage(
      JobView job, List<JobPod> pods, Instant now, PodFailureBackoff backoff, Tally t) {
    if (job.suspend()) {
      t.remove(sorted(t.active, t.active.size()));
      return;
    }
    int active = t.activeCount();
    int want;
    List<JobPod> surplus =
        job.indexed()
            ? IndexedPods.surplus(t.active, t.succeededIndexes, job.completions())
            : List.of();
    if (job.completions() == null) {
      // A work queue: once a pod succeeded, the rest finish on their own.
      want = t.succeeded > 0 ? active : job.parallelism();
    } else {
      want = Math.max(0, Math.min(job.completions() - t.succeeded, job.parallelism()));
    }
    int kept = active - surplus.size();
    if (!surplus.isEmpty() || kept > want) {
      List<JobPod> rest = t.active.stream().filter(p -> !surplus.contains(p)).toList();
      List<JobPod> remove = new ArrayList<>(surplus);
      remove.addAll(sorted(rest, Math.max(0, kept - want)));
      t.remove(remove.subList(0, Math.min(remove.size(), MAX_PODS_PER_SYNC)));
    } else if (kept < want) {
      // Under podReplacementPolicy Failed, a pod still terminating holds its place.
      int missing = want - kept - (job.onlyReplaceFailed() ? t.terminating : 0);
      Duration wait = backoff.remaining(pods, now);
      if (missing <= 0) {
        return;
      } else if (!wait.isZero()) {
        t.requeue(wait);
      } else if (job.indexed()) {
        List<JobPod> holding =
            pods.stream()
                .filter(p -> p.active() || job.onlyReplaceFailed() && p.terminating())
                .toList();
        t.indexes =
            IndexedPods.pending(
                Math.min(missing, MAX_PODS_PER_SYNC),
                job.completions(),
                t.succeededIndexes,
                holding);
        t.create = t.indexes.size();
      } else {
        t.create = Math.min(missing, MAX_PODS_PER_SYNC);
      }
    }
  }

  private static List<JobPod> sorted(List<JobPod> pods, int first) {
    return pods.stream().sorted(JobPod.REMOVAL_ORDER).limit(first).toList();
  }

  /** The counts and choices of one sync as they build up. */
  private static final class Tally {
    final List<JobPod> active;
    final NavigableSet<Integer> succeededIndexes;
    final int succeeded;
    final int failed;
    int terminating;
    int ready;
    Instant startTime;
    List<JobPod> delete = List.of();
    int create;
    List<Integer> indexes = List.of();
    final List<JobCondition> conditions = new ArrayList<>();
    boolean completed;
    Event event;
    Duration requeue;

    Tally(JobView job, List<JobPod> pods, Instant now) {
      this.active = pods.stream().filter(JobPod::active).toList();
      // Counts never go down: a finished pod someone deleted stays counted.
      this.succeededIndexes = job.indexed() ? IndexedPods.succeeded(job, pods) : null;
      this.succeeded =
          job.indexed()
              ? succeededIndexes.size()
              : Math.max(job.succeeded(), (int) pods.stream().filter(JobPod::succeeded).count());
      this.failed = Math.max(job.failed(), (int) pods.stream().filter(JobPod::failed).count());
      this.terminating = (int) pods.stream().filter(JobPod::terminating).count();
      this.ready = (int) active.stream().filter(JobPod::ready).count();
      this.startTime = job.startTime() == null && !job.suspend() ? now : job.startTime();
    }

    int activeCount() {
      return active.size() - delete.size() + create;
    }

    void remove(List<JobPod> pods) {
      delete = pods;
      terminating += pods.size();
      ready -= (int) pods.stream().filter(JobPod::ready).count();
    }

    void requeue(Duration after) {
      if (requeue == null || after.compareTo(requeue) < 0) {
        requeue = after;
      }
    }

    /** The interim condition now; the terminal one too once no pod is terminating. */
    void declare(JobCondition interim) {
      conditions.add(interim);
      if (terminating > 0) {
        return;
      }
      boolean success = interim.type().equals(SUCCESS_CRITERIA_MET);
      conditions.add(
          new JobCondition(
              success ? COMPLETE : FAILED, "True", interim.reason(), interim.message()));
      completed = success;
      event =
          success
              ? new Event(false, "Completed", "Job completed")
              : new Event(true, interim.reason(), interim.message());
      requeue = null;
    }

    /** Suspended=True while suspended; False once resumed, which restarts the clock. */
    void suspension(JobView job, Instant now) {
      JobCondition current = null;
      for (JobCondition c : job.conditions()) {
        if (c.type().equals(SUSPENDED)) {
          current = c;
        }
      }
      if (job.suspend()) {
        JobCondition wanted = new JobCondition(SUSPENDED, "True", "JobSuspended", "Job suspended");
        if (!wanted.equals(current)) {
          conditions.add(wanted);
          event = new Event(false, "Suspended", "Job suspended");
        }
      } else if (current != null && current.isTrue()) {
        conditions.add(new JobCondition(SUSPENDED, "False", "JobResumed", "Job resumed"));
        event = new Event(false, "Resumed", "Job resumed");
        startTime = now;
      }
    }

    JobPlan plan() {
      return new JobPlan(
          delete,
          create,
          indexes,
          activeCount(),
          Math.max(0, ready),
          terminating,
          succeeded,
          failed,
          startTime,
          List.copyOf(conditions),
          completed,
          event,
          requeue,
          succeededIndexes == null ? null : CompletionIndexes.format(succeededIndexes));
    }
  }
}
