package dev.keelson.reconcilers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlowStartTest {

  @Test
  void batchesDoubleWhileEverythingSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    SlowStart.Result result =
        SlowStart.run(
                10,
                1,
                () -> {
                  calls.incrementAndGet();
                  return CompletableFuture.completedFuture(null);
                })
            .join();
    assertThat(result.successes()).isEqualTo(10);
    assertThat(result.error()).isNull();
    assertThat(calls).hasValue(10);
  }

  @Test
  void aFailingBatchStopsTheRest() {
    // batches 1, 2, 4: the 4th call (first of the third batch) fails, the batch finishes, no more
    List<Integer> made = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    SlowStart.Result result =
        SlowStart.run(
                20,
                1,
                () -> {
                  int n = calls.incrementAndGet();
                  made.add(n);
                  return n == 4
                      ? CompletableFuture.failedFuture(new IllegalStateException("quota"))
                      : CompletableFuture.completedFuture(null);
                })
            .join();
    assertThat(made).containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(result.successes()).isEqualTo(6);
    assertThat(result.error()).hasMessage("quota");
  }
}
