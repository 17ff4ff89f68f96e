package dev.keelson.reconcilers.control;

import java.time.Duration;

/**
 * Per-key exponential back-off: {@code base * 2^(failures-1)}, capped at {@code max}, as
 * client-go's item exponential failure rate limiter (5 ms to 1,000 s by default).
 */
public record Backoff(Duration base, Duration max) {

  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(5), Duration.ofSeconds(1000));

  /** The delay before retry number {@code failures} (1 for the first retry). */
  public Duration after(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    long baseNanos = base.toNanos();
    int shift = Math.min(failures - 1, 62);
    long nanos =
        shift >= Long.numberOfLeadingZeros(baseNanos) - 1 ? Long.MAX_VALUE : baseNanos << shift;
    return nanos >= max.toNanos() ? max : Duration.ofNanos(nanos);
  }
}
