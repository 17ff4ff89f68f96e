package dev.keelson.reconcilers.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
    timer.shutdownNow();
  }

  private WorkQueue<String> queue(Function<String, CompletionStage<Outcome>> handler, int n) {
    return new WorkQueue<>(
        "test",
        handler,
        n,
        new Backoff(Duration.ofMillis(20), Duration.ofSeconds(1)),
        executor,
        timer);
  }

  @Test
  void aKeyAddedManyTimesWhileWaitingIsHandledOnce() {
    CompletableFuture<Outcome> blocker = new CompletableFuture<>();
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    WorkQueue<String> queue =
        queue(
            key -> {
              runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
              return key.equals("busy") ? blocker : CompletableFuture.completedFuture(Outcome.DONE);
            },
            1);
    queue.add("busy");
    for (int i = 0; i < 5; i++) {
      queue.add("a");
    }
    blocker.complete(Outcome.DONE);
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.depth() == 0);
    assertThat(runs.get("a")).hasValue(1);
    assertThat(runs.get("busy")).hasValue(1);
  }

  @Test
  void aKeyIsNeverHandledTwiceAtOnceAndChangesDuringAReconcileRunAgainAfter() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    List<CompletableFuture<Outcome>> pending = new CopyOnWriteArrayList<>();
    WorkQueue<String> queue =
        queue(
            key -> {
              most.accumulateAndGet(running.incrementAndGet(), Math::max);
              runs.incrementAndGet();
              CompletableFuture<Outcome> f = new CompletableFuture<>();
              pending.add(f);
              return f.whenComplete((o, e) -> running.decrementAndGet());
            },
            4);
    queue.add("k");
    await().until(() -> pending.size() == 1);
    queue.add("k");
    queue.add("k");
    pending.get(0).complete(Outcome.DONE);
    await().atMost(Duration.ofSeconds(5)).until(() -> pending.size() == 2);
    pending.get(1).complete(Outcome.DONE);
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.depth() == 0);
    assertThat(runs).hasValue(2);
    assertThat(most).hasValue(1);
  }

  @Test
  void atMostConcurrencyKeysRunAtOnce() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    WorkQueue<String> queue =
        queue(
            key -> {
              most.accumulateAndGet(running.incrementAndGet(), Math::max);
              return CompletableFuture.supplyAsync(
                  () -> {
                    sleep(20);
                    running.decrementAndGet();
                    return Outcome.DONE;
                  });
            },
            3);
    for (int i = 0; i < 20; i++) {
      queue.add("k" + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> queue.handled() == 20);
    assertThat(most.get()).isEqualTo(3);
  }

  @Test
  void failuresAreRetriedWithGrowingBackoffAndASuccessForgetsThem() {
    List<Long> times = new CopyOnWriteArrayList<>();
    WorkQueue<String> queue =
        queue(
            key -> {
              times.add(System.nanoTime());
              if (times.size() < 5) {
                return CompletableFuture.completedFuture(
                    Outcome.failed(new IllegalStateException("not yet")));
              }
              if (times.size() == 5) {
                throw new IllegalStateException("thrown, not returned");
              }
              return CompletableFuture.completedFuture(Outcome.DONE);
            },
            1);
    queue.add("k");
    await().atMost(Duration.ofSeconds(10)).until(() -> times.size() == 6);
    // 20, 40, 80, 160, 320 ms: each gap at least its back-off
    for (int i = 1; i < times.size(); i++) {
      long gapMillis = (times.get(i) - times.get(i - 1)) / 1_000_000;
      assertThat(gapMillis).as("gap before retry %d", i).isGreaterThanOrEqualTo(20L << (i - 1));
    }
  }

  @Test
  void aTerminalFailureIsNotRetried() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    WorkQueue<String> queue =
        queue(
            key -> {
              runs.incrementAndGet();
              return CompletableFuture.completedFuture(
                  new Outcome.Failed(new IllegalArgumentException("bad spec"), true));
            },
            1);
    queue.add("k");
    await().until(() -> queue.handled() == 1);
    Thread.sleep(200);
    assertThat(runs).hasValue(1);
  }

  @Test
  void requeueAfterComesBackAfterTheDelayAndTheEarliestDelayWins() {
    List<Long> times = new CopyOnWriteArrayList<>();
    WorkQueue<String> queue =
        queue(
            key -> {
              times.add(System.nanoTime());
              return CompletableFuture.completedFuture(
                  times.size() == 1 ? Outcome.requeueAfter(Duration.ofMillis(150)) : Outcome.DONE);
            },
            1);
    queue.add("k");
    queue.addAfter("k", Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(5)).until(() -> times.size() == 2);
    long gapMillis = (times.get(1) - times.get(0)) / 1_000_000;
    assertThat(gapMillis).isBetween(140L, 5_000L);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
