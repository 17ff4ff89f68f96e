package dev.keelson.nodeagent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void firstRestartIsImmediateThenTenSecondsDoublingToFiveMinutes() {
    RestartBackoff backoff = RestartBackoff.standard();
    String key = RestartBackoff.key("uid", "app");
    Instant finished = T0;
    long[] expected = {0, 10, 20, 40, 80, 160, 300, 300};
    for (long wait : expected) {
      Instant started = finished.plusSeconds(1);
      finished = started.plusSeconds(1);
      Instant at = backoff.stopped(key, started, finished);
      assertThat(Duration.between(finished, at)).isEqualTo(Duration.ofSeconds(wait));
      assertThat(backoff.delay(key)).isEqualTo(Duration.ofSeconds(wait));
    }
  }

  @Test
  void tenMinutesOfGoodRunningStartsOver() {
    RestartBackoff backoff = RestartBackoff.standard();
    String key = RestartBackoff.key("uid", "app");
    backoff.stopped(key, T0, T0.plusSeconds(1));
    backoff.stopped(key, T0.plusSeconds(2), T0.plusSeconds(3));
    Instant longRunStart = T0.plusSeconds(20);
    Instant end = longRunStart.plus(Duration.ofMinutes(10));
    assertThat(backoff.stopped(key, longRunStart, end)).isEqualTo(end);
    assertThat(backoff.stopped(key, end.plusSeconds(1), end.plusSeconds(2)))
        .isEqualTo(end.plusSeconds(12));
  }

  @Test
  void containersAndPodsKeepApartAndScaledFiguresShrink() {
    RestartBackoff backoff = RestartBackoff.standard().scaled(10);
    backoff.stopped(RestartBackoff.key("a", "app"), T0, T0);
    Instant second = backoff.stopped(RestartBackoff.key("a", "app"), T0, T0);
    assertThat(second).isEqualTo(T0.plusSeconds(1));
    assertThat(backoff.stopped(RestartBackoff.key("b", "app"), T0, T0)).isEqualTo(T0);
    backoff.forget("a");
    assertThat(backoff.stopped(RestartBackoff.key("a", "app"), T0, T0)).isEqualTo(T0);
  }
}
