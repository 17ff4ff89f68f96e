package dev.keelson.reconcilers.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFromTheBaseUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(5), Duration.ofSeconds(1));
    assertThat(backoff.after(0)).isZero();
    assertThat(backoff.after(1)).isEqualTo(Duration.ofMillis(5));
    assertThat(backoff.after(2)).isEqualTo(Duration.ofMillis(10));
    assertThat(backoff.after(8)).isEqualTo(Duration.ofMillis(640));
    assertThat(backoff.after(9)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.after(500)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void upstreamDefaultsReachTheirCap() {
    assertThat(Backoff.DEFAULT.after(1)).isEqualTo(Duration.ofMillis(5));
    assertThat(Backoff.DEFAULT.after(40)).isEqualTo(Duration.ofSeconds(1000));
  }
}
