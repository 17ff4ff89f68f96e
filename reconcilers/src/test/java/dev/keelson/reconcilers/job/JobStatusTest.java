package dev.keelson.reconcilers.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import dev.keelson.reconcilers.job.JobView.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The status a sync writes, the failure back-off, and the expectations between syncs. */
class JobStatusTest {

  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  static JobPlan plan(int active, int succeeded, List<JobCondition> conditions, boolean completed) {
    return new JobPlan(
        List.of(),
        0,
        List.of(),
        active,
        0,
        0,
        succeeded,
        0,
        NOW.plusMillis(250),
        conditions,
        completed,
        null,
        null,
        null);
  }

  @Test
  void zeroCountersAreLeftOutAndReadyAndTerminatingKept() {
    ObjectNode job = Json.object();
    JobStatus.apply(job, plan(2, 0, List.of(), false), 2, "2024-05-01T12:00:01Z");
    assertThat(Json.text(job.get("status")))
        .isEqualTo(
            "{\"active\":2,\"ready\":0,\"terminating\":0,\"startTime\":\"2024-05-01T12:00:00Z\","
                + "\"uncountedTerminatedPods\":{}}");
  }

  @Test
  void conditionsKeepTheirTransitionTimeAndCompletionIsStampedOnce() {
    ObjectNode job = Json.object();
    JobCondition met =
        new JobCondition(
            "SuccessCriteriaMet",
            "True",
            "CompletionsReached",
            "Reached expected number of succeeded pods");
    JobCondition complete = new JobCondition("Complete", "True", met.reason(), met.message());
    JobStatus.apply(job, plan(0, 3, List.of(met), false), 0, "2024-05-01T12:00:01Z");
    JobStatus.apply(job, plan(0, 3, List.of(met, complete), true), 0, "2024-05-01T12:00:05Z");
    ObjectNode status = (ObjectNode) job.get("status");
    assertThat(status.path("succeeded").asInt()).isEqualTo(3);
    assertThat(status.has("active")).isFalse();
    assertThat(status.path("completionTime").asText()).isEqualTo("2024-05-01T12:00:05Z");
    assertThat(status.path("conditions").get(0).path("lastTransitionTime").asText())
        .isEqualTo("2024-05-01T12:00:01Z");
    assertThat(status.path("conditions").get(1).path("type").asText()).isEqualTo("Complete");
    // A False condition is never added, only set on one that exists.
    JobStatus.setCondition(
        status, new JobCondition("Suspended", "False", "JobResumed", "Job resumed"), "t");
    assertThat(status.path("conditions")).hasSize(2);
  }

  @Test
  void theBackoffDoublesPerFailureSinceTheLastSuccessUpToItsCap() {
    PodFailureBackoff backoff =
        new PodFailureBackoff(Duration.ofSeconds(10), Duration.ofSeconds(60));
    List<JobPod> three =
        List.of(
            failed(NOW.minusSeconds(50)),
            failed(NOW.minusSeconds(40)),
            failed(NOW.minusSeconds(5)));
    assertThat(backoff.remaining(three, NOW)).isEqualTo(Duration.ofSeconds(35));
    List<JobPod> many =
        List.of(
            failed(NOW.minusSeconds(9)),
            failed(NOW.minusSeconds(8)),
            failed(NOW.minusSeconds(7)),
            failed(NOW.minusSeconds(6)),
            failed(NOW.minusSeconds(5)));
    assertThat(backoff.remaining(many, NOW)).isEqualTo(Duration.ofSeconds(55));
    List<JobPod> thenSuccess =
        List.of(
            failed(NOW.minusSeconds(9)),
            failed(NOW.minusSeconds(8)),
            succeeded(NOW.minusSeconds(7)),
            failed(NOW.minusSeconds(2)));
    assertThat(backoff.remaining(thenSuccess, NOW)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.remaining(List.of(succeeded(NOW)), NOW)).isZero();
  }

  @Test
  void expectationsHoldUntilEveryWriteIsSeenOrTheyTimeOut() {
    AtomicLong clock = new AtomicLong();
    Expectations expectations = new Expectations(clock::get);
    ResourceKey key = ResourceKey.of("batch", "Job", "default", "work");
    assertThat(expectations.satisfied(key)).isTrue();
    expectations.expect(key, 2, 1);
    expectations.creationObserved(key);
    expectations.deletionObserved(key);
    assertThat(expectations.satisfied(key)).isFalse();
    expectations.creationObserved(key);
    assertThat(expectations.satisfied(key)).isTrue();
    expectations.expect(key, 1, 0);
    assertThat(expectations.satisfied(key)).isFalse();
    clock.addAndGet(Expectations.TIMEOUT.plusSeconds(1).toNanos());
    assertThat(expectations.satisfied(key)).isTrue();
  }

  private static int serial;

  private static JobPod failed(Instant at) {
    return finished("Failed", at);
  }

  private static JobPod succeeded(Instant at) {
    return finished("Succeeded", at);
  }

  private static JobPod finished(String phase, Instant at) {
    int n = serial++;
    return new JobPod(
        ResourceKey.of("", "Pod", "default", "p" + n),
        "u" + n,
        phase,
        false,
        true,
        false,
        0,
        at,
        at,
        null);
  }
}
