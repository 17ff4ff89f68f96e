package dev.keelson.reconcilers.control;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The queue of keys a reconciler works through, with client-go's guarantees: a key waits at most
 * once however often it is added (de-duplication); the same key is never handled twice at once (a
 * key added while it is being handled runs again afterwards); a failed key is retried after its own
 * exponential back-off, and retries together are held to an overall rate. At most {@code
 * concurrency} keys are handled at a time, each on {@code executor}, and a handler's future may
 * complete later on any thread.
 *
 * @param <K> the key type
 */
public final class WorkQueue<K> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
  private static final AtomicLong RECONCILE_IDS = new AtomicLong();

  private final String name;
  private final Function<K, CompletionStage<Outcome>> handler;
  private final int concurrency;
  private final Backoff backoff;
  private final TokenBucket retries;
  private final Executor executor;
  private final ScheduledExecutorService timer;

  private final LinkedHashSet<K> ready = new LinkedHashSet<>();
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Map<K, Integer> failures = new HashMap<>();
  private final Map<K, Delayed> delayed = new HashMap<>();
  private final AtomicLong handled = new AtomicLong();
  private int inFlight;
  private boolean closed;

  private record Delayed(long dueNanos, ScheduledFuture<?> future) {}

  public WorkQueue(
      String name,
      Function<K, CompletionStage<Outcome>> handler,
      int concurrency,
      Backoff backoff,
      Executor executor,
      ScheduledExecutorService timer) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.name = name;
    this.handler = handler;
    this.concurrency = concurrency;
    this.backoff = backoff;
    this.retries = new TokenBucket(10, 100);
    this.executor = executor;
    this.timer = timer;
  }

  /** Queues {@code key}, unless it already waits. */
  public void add(K key) {
    synchronized (this) {
      if (closed || !dirty.add(key)) {
        return;
      }
      if (!processing.contains(key)) {
        ready.add(key);
      }
    }
    pump();
  }

  /** Queues {@code key} after {@code delay}; of several delayed adds the earliest wins. */
  public void addAfter(K key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    long due = System.nanoTime() + delay.toNanos();
    synchronized (this) {
      if (closed) {
        return;
      }
      Delayed existing = delayed.get(key);
      if (existing != null) {
        if (existing.dueNanos() <= due) {
          return;
        }
        existing.future().cancel(false);
      }
      ScheduledFuture<?> future =
          timer.schedule(() -> fire(key, due), delay.toNanos(), TimeUnit.NANOSECONDS);
      delayed.put(key, new Delayed(due, future));
    }
  }

  /** Forgets the failures of {@code key}: its next retry starts from the shortest back-off. */
  public synchronized void forget(K key) {
    failures.remove(key);
  }

  /** Keys waiting or being handled. */
  public synchronized int depth() {
    return dirty.size() + processing.size();
  }

  /** How many reconciles have finished. */
  public long handled() {
    return handled.get();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      ready.clear();
      dirty.clear();
      delayed.values().forEach(d -> d.future().cancel(false));
      delayed.clear();
    }
  }

  private void fire(K key, long due) {
    synchronized (this) {
      Delayed d = delayed.get(key);
      if (d == null || d.dueNanos() != due) {
        return;
      }
      delayed.remove(key);
    }
    add(key);
  }

  private void pump() {
    while (true) {
      K key;
      synchronized (this) {
        if (closed || inFlight >= concurrency || ready.isEmpty()) {
          return;
        }
        Iterator<K> it = ready.iterator();
        key = it.next();
        it.remove();
        dirty.remove(key);
        processing.add(key);
        inFlight++;
      }
      try {
        executor.execute(() -> run(key));
      } catch (RuntimeException e) { // the executor is shutting down
        finish(key, null, e);
        return;
      }
    }
  }

  private void run(K key) {
    String id = Long.toString(RECONCILE_IDS.incrementAndGet());
    MDC.put("key", String.valueOf(key));
    MDC.put("reconcile", id);
    try {
      handler.apply(key).whenComplete((outcome, error) -> finish(key, outcome, error));
    } catch (RuntimeException | Error e) {
      finish(key, null, e);
    } finally {
      MDC.remove("key");
      MDC.remove("reconcile");
    }
  }

  private void finish(K key, Outcome outcome, Throwable error) {
    handled.incrementAndGet();
    Duration retry = null;
    Duration requeue = null;
    synchronized (this) {
      processing.remove(key);
      inFlight--;
      if (error != null || outcome instanceof Outcome.Failed f && !f.terminal()) {
        Throwable cause = error != null ? error : ((Outcome.Failed) outcome).cause();
        int n = failures.merge(key, 1, Integer::sum);
        Duration perKey = backoff.after(n);
        Duration overall = retries.reserve();
        retry = perKey.compareTo(overall) >= 0 ? perKey : overall;
        if (n <= 3 || n % 10 == 0) {
          LOG.info(
              "{}: {} failed ({} times), retry in {}: {}", name, key, n, retry, cause.toString());
        } else {
          LOG.debug("{}: {} failed ({} times): {}", name, key, n, cause.toString());
        }
      } else {
        failures.remove(key);
        if (outcome instanceof Outcome.Failed f) {
          LOG.warn("{}: {} failed for good: {}", name, key, f.cause().toString());
        } else if (outcome instanceof Outcome.RequeueAfter r) {
          requeue = r.delay();
        }
      }
      if (!closed && dirty.contains(key)) {
        ready.add(key);
      }
    }
    if (retry != null) {
      addAfter(key, retry);
    } else if (requeue != null) {
      addAfter(key, requeue);
    }
    pump();
  }

  /** An overall limit on retries: {@code rate} a second, with bursts of {@code burst}. */
  static final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    TokenBucket(double rate, double burst) {
      this.rate = rate;
      this.burst = burst;
      this.tokens = burst;
    }

    /** Takes a token, and says how long to wait until it is really there. */
    synchronized Duration reserve() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
      tokens -= 1;
      return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / rate * 1e9));
    }
  }
}
