package dev.keelson.bench.scheduler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Many creates sent as fast as the API takes them: {@code threads} clients, each with one request
 * in flight. A create that fails for a reason other than a conflict is tried again twice; a 409 on
 * a retry means the first attempt was applied after all, and counts as created.
 */
final class ParallelCreates {

  static final int THREADS = 16;
  private static final int ATTEMPTS = 3;

  /** What was created, in how long; {@code problem} is the first failure that stayed, or null. */
  record Result(int created, int failed, String problem, double seconds) {

    double perSecond() {
      return created / seconds;
    }

    /** "10,000 in 12.3 s = 813/s", with the failures if any. */
    String describe(String unit) {
      return String.format(
              Locale.ROOT, "%,d in %.1f s = %,.0f %s/s", created, seconds, perSecond(), unit)
          + (failed == 0 ? "" : String.format(Locale.ROOT, "; %,d failed: %s", failed, problem));
    }
  }

  private ParallelCreates() {}

  /** Calls {@code create} for 0 ... count-1 from {@code THREADS} threads. */
  static Result run(String what, int count, IntConsumer create) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger created = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> problem = new AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long start = System.nanoTime();
    for (int t = 0; t < THREADS; t++) {
      pool.execute(
          () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
              String failure = attempt(create, i);
              if (failure == null) {
                created.incrementAndGet();
              } else {
                failed.incrementAndGet();
                problem.compareAndSet(null, failure);
              }
              progress(what, created.get() + failed.get(), count);
            }
          });
    }
    pool.shutdown();
    if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
      pool.shutdownNow();
      throw new IllegalStateException(what + ": creates still running after an hour");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(created.get(), failed.get(), problem.get(), seconds);
  }

  /** Null once created, else why not. */
  private static String attempt(IntConsumer create, int i) {
    String failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        create.accept(i);
        return null;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && attempt > 1) {
          return null;
        }
        failure = e.getCode() + " " + e.getMessage();
        if (e.getCode() == 409 || e.getCode() == 422 || e.getCode() == 400) {
          return failure;
        }
      } catch (RuntimeException e) {
        failure = e.toString();
      }
    }
    return failure;
  }

  private static void progress(String what, int done, int count) {
    if (done % 5000 == 0 && done < count) {
      System.err.printf(Locale.ROOT, "%s: %,d of %,d%n", what, done, count);
    }
  }
}
