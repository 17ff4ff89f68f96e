package dev.keelson.bench.api;

import dev.keelson.bench.api.WriteTarget.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * N clients that each keep one write in flight for a fixed time: the next write is sent when the
 * previous one answers. Creates give every client its own pods; updates then cycle through the
 * client's own pods with the version last returned, so no two clients ever race on a pod.
 */
final class ClosedLoopLoad {

  /** The pods one client created, with the version each is at. */
  static final class Pods {
    final List<String> names = new ArrayList<>();
    final List<String> versions = new ArrayList<>();
  }

  /** How long past the end of a phase a write may still answer. */
  static final long ANSWER_GRACE_SECONDS = 120;

  private ClosedLoopLoad() {}

  /** Creates pods named {@code <prefix>-<client>-<n>} for {@code duration}; fills {@code pods}. */
  static PhaseResult creates(
      WriteTarget target, int clients, Duration duration, String prefix, List<Pods> pods)
      throws InterruptedException {
    pods.clear();
    for (int c = 0; c < clients; c++) pods.add(new Pods());
    PhaseResult result = new PhaseResult(target.name(), clients, "create");
    run(
        clients,
        duration,
        result,
        (c, n) -> {
          String name = prefix + "-" + c + "-" + n;
          return target
              .create(name, PodJson.create(name))
              .thenApply(
                  a -> {
                    if (a.accepted()) {
                      pods.get(c).names.add(name);
                      pods.get(c).versions.add(a.version());
                    }
                    return a;
                  });
        });
    return result;
  }

  /** Updates each client's pods round robin for {@code duration}. */
  static PhaseResult updates(WriteTarget target, List<Pods> pods, Duration duration)
      throws InterruptedException {
    PhaseResult result = new PhaseResult(target.name(), pods.size(), "update");
    run(
        pods.size(),
        duration,
        result,
        (c, n) -> {
          Pods own = pods.get(c);
          if (own.names.isEmpty()) {
            return CompletableFuture.failedFuture(
                new IllegalStateException("client " + c + " created no pod to update"));
          }
          int i = (int) (n % own.names.size());
          String name = own.names.get(i);
          return target
              .update(name, own.versions.get(i), PodJson.update(name, own.versions.get(i), n + 1))
              .thenApply(
                  a -> {
                    if (a.accepted()) own.versions.set(i, a.version());
                    return a;
                  });
        });
    return result;
  }

  private interface Step {
    CompletableFuture<Answer> write(int client, long n);
  }

  private static void run(int clients, Duration duration, PhaseResult result, Step step)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(clients);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    for (int c = 0; c < clients; c++) next(c, 0, end, step, result, done);
    done.await(duration.toSeconds() + ANSWER_GRACE_SECONDS, TimeUnit.SECONDS);
    result.finished((System.nanoTime() - start) / 1e9, done.getCount());
  }

  /** One client's loop; a client stops at the deadline or on its first I/O error. */
  private static void next(
      int client, long n, long end, Step step, PhaseResult result, CountDownLatch done) {
    long sent = System.nanoTime();
    if (sent >= end) {
      done.countDown();
      return;
    }
    CompletableFuture<Answer> write;
    try {
      write = step.write(client, n);
    } catch (RuntimeException e) {
      write = CompletableFuture.failedFuture(e);
    }
    write.whenComplete(
        (answer, error) -> {
          long nanos = System.nanoTime() - sent;
          if (error != null) {
            result.failed(error);
            done.countDown();
            return;
          }
          if (answer.accepted()) result.accepted(nanos);
          else result.rejected(answer.detail());
          next(client, n + 1, end, step, result, done);
        });
  }
}
