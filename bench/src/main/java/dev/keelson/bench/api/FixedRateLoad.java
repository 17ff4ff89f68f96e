package dev.keelson.bench.api;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Creates at a fixed rate whatever the answers do (an open loop, as independent clients behave).
 * Latency counts from the moment a write was due, not from when it was sent, so a server that falls
 * behind shows it in the tail instead of slowing the load down.
 */
final class FixedRateLoad {

  private FixedRateLoad() {}

  /** Writes {@code rate} creates per second for {@code duration}; the rate is accepted / time. */
  static PhaseResult creates(WriteTarget target, int rate, Duration duration, String prefix)
      throws InterruptedException {
    int total = (int) (rate * duration.toSeconds());
    long period = TimeUnit.SECONDS.toNanos(1) / rate;
    PhaseResult result = new PhaseResult(target.name(), 0, "create @ " + rate + "/s");
    CountDownLatch done = new CountDownLatch(total);
    AtomicLong lastAnswer = new AtomicLong();
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * period;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      String name = prefix + "-" + i;
      target
          .create(name, PodJson.create(name))
          .whenComplete(
              (answer, error) -> {
                long now = System.nanoTime();
                if (error != null) result.failed(error);
                else if (answer.accepted()) result.accepted(now - due);
                else result.rejected(answer.detail());
                lastAnswer.accumulateAndGet(now, Math::max);
                done.countDown();
              });
    }
    done.await(ClosedLoopLoad.ANSWER_GRACE_SECONDS, TimeUnit.SECONDS);
    long unanswered = done.getCount();
    long end = unanswered == 0 ? lastAnswer.get() : System.nanoTime();
    result.finished((end - start) / 1e9, unanswered);
    return result;
  }
}
