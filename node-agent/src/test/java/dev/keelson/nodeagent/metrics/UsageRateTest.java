package dev.keelson.nodeagent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.nodeagent.runtime.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageRateTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Usage reading(long cpuCoreNanoSeconds, Duration after) {
    return new Usage(0, 1 << 20, cpuCoreNanoSeconds, T0.plus(after));
  }

  @Test
  void theRateIsTheCpuTimeUsedOverTheWindow() {
    // 4.5 core-seconds in 10 s: 0.45 of a core.
    UsageRate.Rate rate =
        UsageRate.between(
                reading(1_000_000_000L, Duration.ZERO),
                reading(5_500_000_000L, Duration.ofSeconds(10)))
            .orElseThrow();
    assertThat(rate.nanoCores()).isEqualTo(450_000_000L);
    assertThat(rate.window()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aWindowThatIsNotWholeSecondsCountsToo() {
    // Two cores busy for 1.5 s.
    UsageRate.Rate rate =
        UsageRate.between(
                reading(0, Duration.ZERO), reading(3_000_000_000L, Duration.ofMillis(1500)))
            .orElseThrow();
    assertThat(rate.nanoCores()).isEqualTo(2_000_000_000L);
  }

  @Test
  void noRateWithoutAWindowOrWhenTheCounterWentBack() {
    assertThat(UsageRate.between(reading(10, Duration.ZERO), reading(20, Duration.ZERO))).isEmpty();
    assertThat(UsageRate.between(reading(10, Duration.ofSeconds(5)), reading(20, Duration.ZERO)))
        .isEmpty();
    assertThat(
            UsageRate.between(
                reading(5_000_000_000L, Duration.ZERO), reading(1_000, Duration.ofSeconds(10))))
        .as("a container started again counts from zero")
        .isEmpty();
  }

  @Test
  void windowsYieldARateFromTheSecondReadingOnAndForgetGoneContainers() {
    UsageWindows windows = new UsageWindows();
    assertThat(windows.next("a", reading(0, Duration.ZERO))).isEmpty();
    assertThat(windows.next("a", reading(100_000_000L, Duration.ofSeconds(1))))
        .hasValueSatisfying(r -> assertThat(r.nanoCores()).isEqualTo(100_000_000L));
    assertThat(windows.next("a", reading(100_000_000L, Duration.ofSeconds(2))))
        .as("idle over the last window")
        .hasValueSatisfying(r -> assertThat(r.nanoCores()).isZero());
    windows.next("b", reading(0, Duration.ZERO));
    windows.retain(List.of("b"));
    assertThat(windows.size()).isEqualTo(1);
    assertThat(windows.next("a", reading(200_000_000L, Duration.ofSeconds(3))))
        .as("a forgotten container starts a new window")
        .isEmpty();
  }
}
