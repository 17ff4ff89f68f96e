package dev.keelson.nodeagent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a probe runs and what its outcomes settle on, with the kubelet's thresholds. */
class ProbeStateTest {

  private static final Instant STARTED = Instant.parse("2025-01-01T00:00:00Z");
  private static final ProbeOutcome OK = new ProbeOutcome(true, "ok");
  private static final ProbeOutcome BAD = new ProbeOutcome(false, "HTTP probe failed");

  private static ProbeSpec spec(int initialDelay, int period, int success, int failure) {
    return new ProbeSpec(
        new Handler.ExecAction(List.of("true")), initialDelay, 1, period, success, failure);
  }

  private static Instant at(long seconds) {
    return STARTED.plusSeconds(seconds);
  }

  @Test
  void readinessStartsFailingLivenessPassingStartupNotPassed() {
    ProbeSpec spec = spec(0, 10, 1, 3);
    assertThat(new ProbeState(ProbeKind.READINESS, spec, STARTED).passing()).isFalse();
    assertThat(new ProbeState(ProbeKind.LIVENESS, spec, STARTED).passing()).isTrue();
    assertThat(new ProbeState(ProbeKind.STARTUP, spec, STARTED).passing()).isFalse();
    for (ProbeKind kind : ProbeKind.values()) {
      ProbeState state = new ProbeState(kind, spec, STARTED);
      assertThat(state.failed()).as(kind.name()).isFalse();
      assertThat(state.lastMessage()).isEmpty();
    }
  }

  @Test
  void theFirstRunWaitsForTheInitialDelayThenRunsOncePerPeriod() {
    ProbeState state = new ProbeState(ProbeKind.READINESS, spec(5, 10, 1, 3), STARTED);
    assertThat(state.due(at(0))).isFalse();
    assertThat(state.due(at(4))).isFalse();
    assertThat(state.due(at(5))).isTrue();
    state.record(OK, at(6));
    assertThat(state.due(at(6))).isFalse();
    assertThat(state.due(at(15))).isFalse();
    assertThat(state.due(at(16))).isTrue();
    assertThat(state.due(at(40))).isTrue();
  }

  @Test
  void readinessNeedsSuccessThresholdSuccessesInARow() {
    ProbeState state = new ProbeState(ProbeKind.READINESS, spec(0, 1, 2, 3), STARTED);
    state.record(OK, at(1));
    assertThat(state.passing()).isFalse();
    state.record(BAD, at(2));
    state.record(OK, at(3));
    assertThat(state.passing()).as("a failure in between starts the count again").isFalse();
    state.record(OK, at(4));
    assertThat(state.passing()).isTrue();
    assertThat(state.lastMessage()).isEqualTo("ok");
  }

  @Test
  void readinessFailsAfterFailureThresholdFailuresInARowAndRecovers() {
    ProbeState state = new ProbeState(ProbeKind.READINESS, spec(0, 1, 1, 3), STARTED);
    state.record(OK, at(1));
    state.record(BAD, at(2));
    state.record(BAD, at(3));
    assertThat(state.passing()).isTrue();
    assertThat(state.failed()).isFalse();
    state.record(BAD, at(4));
    assertThat(state.passing()).isFalse();
    assertThat(state.failed()).isTrue();
    assertThat(state.lastMessage()).isEqualTo("HTTP probe failed");
    assertThat(state.due(at(5))).as("readiness goes on probing").isTrue();
    state.record(OK, at(5));
    assertThat(state.passing()).isTrue();
    assertThat(state.failed()).isFalse();
  }

  @Test
  void livenessFailsOnlyAtTheThresholdThenStopsProbing() {
    ProbeState state = new ProbeState(ProbeKind.LIVENESS, spec(0, 1, 1, 3), STARTED);
    state.record(BAD, at(1));
    state.record(BAD, at(2));
    state.record(OK, at(3));
    state.record(BAD, at(4));
    state.record(BAD, at(5));
    assertThat(state.failed()).as("the success broke the run of failures").isFalse();
    assertThat(state.passing()).isTrue();
    state.record(BAD, at(6));
    assertThat(state.failed()).isTrue();
    assertThat(state.passing()).isFalse();
    assertThat(state.due(at(100))).as("the container is to be restarted").isFalse();
    state.record(OK, at(100));
    assertThat(state.failed()).isTrue();
  }

  @Test
  void startupPassesOnceAndIsThenDone() {
    ProbeState state = new ProbeState(ProbeKind.STARTUP, spec(0, 1, 1, 3), STARTED);
    state.record(BAD, at(1));
    state.record(BAD, at(2));
    assertThat(state.passing()).isFalse();
    assertThat(state.failed()).isFalse();
    state.record(OK, at(3));
    assertThat(state.passing()).isTrue();
    assertThat(state.due(at(10))).isFalse();
  }

  @Test
  void startupFailsAtTheThresholdAndIsThenDone() {
    ProbeState state = new ProbeState(ProbeKind.STARTUP, spec(0, 1, 1, 2), STARTED);
    state.record(BAD, at(1));
    state.record(BAD, at(2));
    assertThat(state.failed()).isTrue();
    assertThat(state.passing()).isFalse();
    assertThat(state.due(at(10))).isFalse();
  }
}
