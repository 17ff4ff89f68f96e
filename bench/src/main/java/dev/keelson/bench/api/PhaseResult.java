package dev.keelson.bench.api;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one load phase measured: accepted writes (2xx, or a transaction whose compare held), the
 * latency of each accepted write in a histogram, and the writes that were not accepted.
 */
final class PhaseResult {

  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(5);

  final String target;
  final int clients;
  final String op;
  private final Histogram latencyMicros = new ConcurrentHistogram(MAX_MICROS, 3);
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();
  private final AtomicLong unanswered = new AtomicLong();
  private volatile double seconds;
  private volatile boolean finished;

  PhaseResult(String target, int clients, String op) {
    this.target = target;
    this.clients = clients;
    this.op = op;
  }

  void accepted(long nanos) {
    if (finished) return;
    latencyMicros.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
  }

  void rejected(String detail) {
    if (finished) return;
    rejected.incrementAndGet();
    firstProblem.compareAndSet(null, detail);
  }

  void failed(Throwable error) {
    if (finished) return;
    failed.incrementAndGet();
    firstProblem.compareAndSet(null, String.valueOf(error));
  }

  /** Ends the phase; writes still unanswered count as not accepted, late answers are ignored. */
  void finished(double seconds, long unanswered) {
    this.seconds = seconds;
    this.unanswered.set(unanswered);
    this.finished = true;
  }

  long accepted() {
    return latencyMicros.getTotalCount();
  }

  long notAccepted() {
    return rejected.get() + failed.get() + unanswered.get();
  }

  double writesPerSecond() {
    return seconds > 0 ? accepted() / seconds : 0;
  }

  double seconds() {
    return seconds;
  }

  double percentileMillis(double percentile) {
    return accepted() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Why writes were not accepted, or null if all were. */
  String problem() {
    if (notAccepted() == 0) return null;
    return String.format(
        "%d rejected, %d failed, %d unanswered; first: %s",
        rejected.get(), failed.get(), unanswered.get(), firstProblem.get());
  }
}
