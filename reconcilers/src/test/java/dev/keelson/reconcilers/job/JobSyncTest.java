package dev.keelson.reconcilers.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.api.ResourceKey;
import dev.keelson.reconcilers.job.JobView.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How many pods a Job creates or deletes, and which conditions it earns, in one sync. */
class JobSyncTest {

  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  static final PodFailureBackoff BACKOFF = PodFailureBackoff.UPSTREAM;

  static JobView job(int completions, int parallelism, int backoffLimit) {
    return new JobView(
        "work",
        "job-uid",
        parallelism,
        completions,
        backoffLimit,
        null,
        false,
        "Never",
        false,
        false,
        NOW.minusSeconds(60),
        0,
        0,
        List.of(),
        false,
        "");
  }

  static JobView with(
      JobView j, Long deadline, boolean suspend, Instant start, List<JobCondition> conditions) {
    return new JobView(
        j.name(),
        j.uid(),
        j.parallelism(),
        j.completions(),
        j.backoffLimit(),
        deadline,
        suspend,
        j.restartPolicy(),
        j.onlyReplaceFailed(),
        j.deleting(),
        start,
        j.succeeded(),
        j.failed(),
        conditions,
        j.indexed(),
        j.completedIndexes());
  }

  private int serial;

  JobPod pod(String phase, boolean assigned, boolean ready, Instant finished) {
    return pod(phase, assigned, ready, finished, false, 0);
  }

  JobPod pod(
      String phase,
      boolean assigned,
      boolean ready,
      Instant finished,
      boolean deleting,
      int restarts) {
    int n = serial++;
    return new JobPod(
        ResourceKey.of("", "Pod", "default", "work-" + n),
        "uid-" + n,
        phase,
        deleting,
        assigned,
        ready,
        restarts,
        NOW.minusSeconds(100 - n),
        finished,
        null);
  }

  List<JobPod> pods(int n, String phase, Instant finished) {
    List<JobPod> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(pod(phase, true, phase.equals("Running"), finished));
    }
    return list;
  }

  static List<JobPod> concat(List<JobPod> a, List<JobPod> b) {
    List<JobPod> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  static List<String> types(JobPlan plan) {
    return plan.conditions().stream()
        .map(c -> c.type() + "=" + c.status() + "/" + c.reason())
        .toList();
  }

  @Test
  void aNewJobStartsParallelismPodsAndItsClock() {
    JobView fresh = with(job(3, 2, 6), null, false, null, List.of());
    JobPlan plan = JobSync.decide(fresh, List.of(), NOW, true, BACKOFF);
    assertThat(plan.create()).isEqualTo(2);
    assertThat(plan.active()).isEqualTo(2);
    assertThat(plan.startTime()).isEqualTo(NOW);
    assertThat(plan.conditions()).isEmpty();
  }

  @Test
  void neverMorePodsThanTheCompletionsLeft() {
    List<JobPod> pods = concat(pods(2, "Succeeded", NOW.minusSeconds(5)), pods(1, "Running", null));
    JobPlan plan = JobSync.decide(job(3, 2, 6), pods, NOW, true, BACKOFF);
    assertThat(plan.create()).isZero();
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.succeeded()).isEqualTo(2);
    assertThat(plan.active()).isEqualTo(1);
    assertThat(plan.ready()).isEqualTo(1);
  }

  @Test
  void unseenCreationsHoldBackTheNextOnes() {
    JobPlan plan = JobSync.decide(job(3, 2, 6), List.of(), NOW, false, BACKOFF);
    assertThat(plan.create()).isZero();
    assertThat(plan.delete()).isEmpty();
  }

  @Test
  void enoughSuccessesCompleteTheJobWithBothConditionsAndAnEvent() {
    JobPlan plan =
        JobSync.decide(job(3, 2, 6), pods(3, "Succeeded", NOW.minusSeconds(1)), NOW, true, BACKOFF);
    assertThat(types(plan))
        .containsExactly(
            "SuccessCriteriaMet=True/CompletionsReached", "Complete=True/CompletionsReached");
    assertThat(plan.completed()).isTrue();
    assertThat(plan.succeeded()).isEqualTo(3);
    assertThat(plan.event()).isEqualTo(new JobPlan.Event(false, "Completed", "Job completed"));
  }

  @Test
  void countsNeverGoDownWhenFinishedPodsAreDeleted() {
    JobView counted =
        new JobView(
            "work", "job-uid", 2, 3, 6, null, false, "Never", false, false, NOW, 2, 1, List.of(),
            false, "");
    JobPlan plan = JobSync.decide(counted, pods(1, "Succeeded", NOW), NOW, true, BACKOFF);
    assertThat(plan.succeeded()).isEqualTo(2);
    assertThat(plan.failed()).isEqualTo(1);
    assertThat(plan.create()).isEqualTo(1);
  }

  @Test
  void pastTheBackoffLimitTheJobFailsOnceItsPodsHaveStopped() {
    List<JobPod> pods = concat(pods(2, "Failed", NOW.minusSeconds(30)), pods(1, "Running", null));
    JobPlan first = JobSync.decide(job(3, 2, 1), pods, NOW, true, BACKOFF);
    assertThat(first.delete()).hasSize(1).allMatch(JobPod::active);
    assertThat(first.terminating()).isEqualTo(1);
    assertThat(types(first)).containsExactly("FailureTarget=True/BackoffLimitExceeded");
    assertThat(first.event()).isNull();

    JobView targeted = with(job(3, 2, 1), null, false, NOW.minusSeconds(60), first.conditions());
    List<JobPod> stopping =
        concat(
            pods(2, "Failed", NOW.minusSeconds(30)),
            List.of(pod("Running", true, false, null, true, 0)));
    assertThat(types(JobSync.decide(targeted, stopping, NOW, true, BACKOFF)))
        .containsExactly("FailureTarget=True/BackoffLimitExceeded");

    JobPlan last =
        JobSync.decide(targeted, pods(3, "Failed", NOW.minusSeconds(1)), NOW, true, BACKOFF);
    assertThat(types(last))
        .containsExactly(
            "FailureTarget=True/BackoffLimitExceeded", "Failed=True/BackoffLimitExceeded");
    assertThat(last.completed()).isFalse();
    assertThat(last.event())
        .isEqualTo(
            new JobPlan.Event(
                true, "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
  }

  @Test
  void aFailedPodIsReplacedOnlyAfterTheBackoff() {
    List<JobPod> failedOnce = pods(1, "Failed", NOW.minusSeconds(3));
    JobPlan waiting = JobSync.decide(job(1, 1, 6), failedOnce, NOW, true, BACKOFF);
    assertThat(waiting.create()).isZero();
    assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(7));

    JobPlan replaced = JobSync.decide(job(1, 1, 6), failedOnce, NOW.plusSeconds(8), true, BACKOFF);
    assertThat(replaced.create()).isEqualTo(1);
    assertThat(replaced.failed()).isEqualTo(1);
  }

  @Test
  void pastItsDeadlineTheJobFailsAndItsRunningPodsAreDeleted() {
    JobView job = with(job(1, 1, 6), 2L, false, NOW.minusSeconds(3), List.of());
    JobPlan plan = JobSync.decide(job, pods(1, "Running", null), NOW, true, BACKOFF);
    assertThat(plan.delete()).hasSize(1);
    assertThat(types(plan)).containsExactly("FailureTarget=True/DeadlineExceeded");
    assertThat(plan.active()).isZero();

    JobView early = with(job(1, 1, 6), 30L, false, NOW.minusSeconds(10), List.of());
    JobPlan running = JobSync.decide(early, pods(1, "Running", null), NOW, true, BACKOFF);
    assertThat(running.delete()).isEmpty();
    assertThat(running.requeueAfter()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void underOnFailureContainerRestartsCountTowardTheBackoffLimit() {
    JobView onFailure =
        new JobView(
            "work",
            "job-uid",
            1,
            1,
            3,
            null,
            false,
            "OnFailure",
            false,
            false,
            NOW,
            0,
            0,
            List.of(),
            false,
            "");
    JobPlan two =
        JobSync.decide(
            onFailure, List.of(pod("Running", true, false, null, false, 2)), NOW, true, BACKOFF);
    assertThat(two.conditions()).isEmpty();
    JobPlan three =
        JobSync.decide(
            onFailure, List.of(pod("Running", true, false, null, false, 3)), NOW, true, BACKOFF);
    assertThat(types(three)).containsExactly("FailureTarget=True/BackoffLimitExceeded");
    assertThat(three.delete()).hasSize(1);
  }

  @Test
  void surplusPodsGoUnassignedAndPendingFirst() {
    JobPod running = pod("Running", true, true, null);
    JobPod pending = pod("Pending", true, false, null);
    JobPod unassigned = pod("Pending", false, false, null);
    JobPlan plan =
        JobSync.decide(job(5, 1, 6), List.of(running, pending, unassigned), NOW, true, BACKOFF);
    assertThat(plan.delete()).containsExactly(unassigned, pending);
    assertThat(plan.active()).isEqualTo(1);
    assertThat(plan.terminating()).isEqualTo(2);
  }

  @Test
  void aWorkQueueCompletesWhenOnePodSucceededAndTheRestStopped() {
    JobView queue =
        new JobView(
            "work", "job-uid", 3, null, 6, null, false, "Never", false, false, NOW, 0, 0, List.of(),
            false, "");
    JobPlan draining =
        JobSync.decide(
            queue, concat(pods(1, "Succeeded", NOW), pods(1, "Running", null)), NOW, true, BACKOFF);
    assertThat(draining.create()).isZero();
    assertThat(draining.conditions()).isEmpty();
    JobPlan done = JobSync.decide(queue, pods(2, "Succeeded", NOW), NOW, true, BACKOFF);
    assertThat(done.completed()).isTrue();
  }

  @Test
  void aSuspendedJobDeletesItsPodsAndResumingRestartsItsClock() {
    JobView suspended = with(job(2, 2, 6), null, true, NOW.minusSeconds(60), List.of());
    JobPlan plan = JobSync.decide(suspended, pods(2, "Running", null), NOW, true, BACKOFF);
    assertThat(plan.delete()).hasSize(2);
    assertThat(types(plan)).containsExactly("Suspended=True/JobSuspended");

    JobView resumed = with(job(2, 2, 6), null, false, NOW.minusSeconds(60), plan.conditions());
    JobPlan again = JobSync.decide(resumed, List.of(), NOW, true, BACKOFF);
    assertThat(types(again)).containsExactly("Suspended=False/JobResumed");
    assertThat(again.startTime()).isEqualTo(NOW);
    assertThat(again.create()).isEqualTo(2);
  }

  @Test
  void aTerminatingPodIsReplacedAtOnceUnlessOnlyFailedPodsAreReplaced() {
    List<JobPod> stopping = List.of(pod("Running", true, false, null, true, 0));
    assertThat(JobSync.decide(job(2, 2, 6), stopping, NOW, true, BACKOFF).create()).isEqualTo(2);
    JobView onlyFailed =
        new JobView(
            "work", "job-uid", 2, 2, 6, null, false, "Never", true, false, NOW, 0, 0, List.of(),
            false, "");
    JobPlan plan = JobSync.decide(onlyFailed, stopping, NOW, true, BACKOFF);
    assertThat(plan.create()).isEqualTo(1);
    assertThat(plan.terminating()).isEqualTo(1);
  }
}
