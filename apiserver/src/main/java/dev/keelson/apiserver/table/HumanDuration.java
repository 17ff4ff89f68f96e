package dev.keelson.apiserver.table;

import java.time.Duration;
import java.time.Instant;

/**
 * Upstream's {@code duration.HumanDuration} (k8s.io/apimachinery/pkg/util/duration): about two or
 * three significant figures, so "5s", "3m2s", "70m", "7h59m", "2d3h", "45d", "2y1d". kubectl shows
 * what the server puts in the cells, so AGE must read exactly as a real API server writes it.
 */
public final class HumanDuration {

  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;

  private HumanDuration() {}

  public static String format(Duration d) {
    long nanos = saturatedNanos(d);
    // Up to two seconds into the future counts as now: clocks of different machines drift.
    long seconds = nanos / SECOND;
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = nanos / MINUTE;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = nanos / HOUR;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }

  /** The age of a timestamp as the printers show it; {@code "<unknown>"} when there is none. */
  static String since(Instant timestamp, Instant now) {
    return timestamp == null ? "<unknown>" : format(Duration.between(timestamp, now));
  }

  /** Go's time.Duration is an int64 of nanoseconds and Sub saturates; do the same. */
  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
