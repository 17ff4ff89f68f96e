package dev.keelson.bench.agent;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** Latencies of one measure, in milliseconds, and their percentiles by nearest rank. */
final class Latencies {

  private final long[] sortedMillis;

  Latencies(Collection<Long> millis) {
    this.sortedMillis = millis.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  int count() {
    return sortedMillis.length;
  }

  /**
   * The smallest latency that {@code percentile} % of the samples do not exceed (nearest rank: the
   * ⌈p/100 × n⌉-th smallest), so p99 of 50 samples is the largest, as it should be with so few.
   */
  long percentile(double percentile) {
    if (sortedMillis.length == 0) {
      throw new IllegalStateException("no samples");
    }
    int rank = (int) Math.ceil(percentile / 100 * sortedMillis.length);
    return sortedMillis[Math.max(0, rank - 1)];
  }

  long max() {
    return percentile(100);
  }

  /** The table cells p50, p90, p99 and max, or dashes when there is no sample. */
  String[] cells() {
    if (sortedMillis.length == 0) {
      return new String[] {"-", "-", "-", "-"};
    }
    return new String[] {
      format(percentile(50)), format(percentile(90)), format(percentile(99)), format(max())
    };
  }

  private static String format(long millis) {
    return String.format(Locale.ROOT, "%,d", millis);
  }

  @Override
  public String toString() {
    return Arrays.toString(sortedMillis);
  }
}
