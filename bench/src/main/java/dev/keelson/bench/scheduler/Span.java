package dev.keelson.bench.scheduler;

import java.util.Collection;
import java.util.Locale;

/**
 * When a number of pods reached a state: how many, the first and the last moment (System.nanoTime),
 * and the rate between them.
 */
record Span(int count, long firstNanos, long lastNanos) {

  static Span of(Collection<Long> times) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    int count = 0;
    for (long t : times) {
      first = Math.min(first, t);
      last = Math.max(last, t);
      count++;
    }
    return count == 0 ? new Span(0, 0, 0) : new Span(count, first, last);
  }

  /**
   * Pods per second from the first to the last: {@code count / (last - first)}, as the issue
   * defines it; NaN with fewer than two pods.
   */
  double perSecond() {
    return count < 2 || lastNanos == firstNanos
        ? Double.NaN
        : count / ((lastNanos - firstNanos) / 1e9);
  }

  /** Seconds from {@code since} to the first. */
  double firstAfter(long since) {
    return (firstNanos - since) / 1e9;
  }

  /** Seconds from {@code since} to the last. */
  double lastAfter(long since) {
    return (lastNanos - since) / 1e9;
  }

  static String rate(double perSecond) {
    return Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%,.0f pods/s", perSecond);
  }
}
