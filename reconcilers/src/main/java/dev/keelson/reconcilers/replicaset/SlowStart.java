package dev.keelson.reconcilers.replicaset;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Upstream's slowStartBatch: calls {@code call} {@code count} times in batches of 1, 2, 4, ... (the
 * calls of a batch at once); after a batch with a failure, the rest is skipped. Many creates that
 * would all fail the same way (a quota, a bad template) so cost one call, not hundreds.
 */
final class SlowStart {

  /** How many calls succeeded, and the first failure (null when none). */
  record Result(int successes, Throwable error) {}

  private SlowStart() {}

  static CompletableFuture<Result> run(
      int count, int initialBatch, Supplier<CompletableFuture<Void>> call) {
    return batch(count, Math.min(count, initialBatch), 0, call);
  }

  private static CompletableFuture<Result> batch(
      int remaining, int size, int successes, Supplier<CompletableFuture<Void>> call) {
    if (size <= 0) {
      return CompletableFuture.completedFuture(new Result(successes, null));
    }
    List<CompletableFuture<Throwable>> calls = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      CompletableFuture<Void> started;
      try {
        started = call.get();
      } catch (RuntimeException e) {
        started = CompletableFuture.failedFuture(e);
      }
      calls.add(started.handle((v, e) -> e));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenCompose(
            v -> {
              Throwable first = null;
              int ok = successes;
              for (CompletableFuture<Throwable> c : calls) {
                Throwable e = c.join();
                if (e == null) {
                  ok++;
                } else if (first == null) {
                  first =
                      e instanceof CompletionException ce && ce.getCause() != null
                          ? ce.getCause()
                          : e;
                }
              }
              if (first != null) {
                return CompletableFuture.completedFuture(new Result(ok, first));
              }
              int left = remaining - size;
              return batch(left, Math.min(2 * size, left), ok, call);
            });
  }
}
