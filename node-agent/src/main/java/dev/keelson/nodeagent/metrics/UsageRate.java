package dev.keelson.nodeagent.metrics;

import dev.keelson.nodeagent.runtime.Usage;
import java.time.Duration;
import java.util.Optional;

/**
 * CPU use as a rate, the way metrics-server derives it from the kubelet's counters: the CPU time a
 * container used between two readings, over the time between them.
 */
public final class UsageRate {

  /** A rate of CPU use over the window between two readings. */
  public record Rate(long nanoCores, Duration window) {}

  private UsageRate() {}

  /**
   * The rate between {@code before} and {@code now}; empty when there is no window (the same or an
   * earlier reading) or the counter went back (the container was replaced and started again).
   */
  public static Optional<Rate> between(Usage before, Usage now) {
    Duration window = Duration.between(before.time(), now.time());
    long used = now.cpuCoreNanoSeconds() - before.cpuCoreNanoSeconds();
    if (window.isZero() || window.isNegative() || used < 0) {
      return Optional.empty();
    }
    // core-nanoseconds per nanosecond are cores; in billionths of a core, computed without
    // overflow for any plausible window (used < 2^63 / 10^9 needs only under 292 core-years).
    double nanoCores = (double) used * 1_000_000_000d / window.toNanos();
    return Optional.of(new Rate(Math.round(nanoCores), window));
  }
}
