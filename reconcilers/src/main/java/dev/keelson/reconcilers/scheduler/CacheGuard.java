package dev.keelson.reconcilers.scheduler;

import dev.keelson.projection.ListQuery;
import dev.keelson.projection.Projection;
import dev.keelson.projection.WatchEvent;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises the use of the {@link SchedulerCache}: decisions take it one at a time, and changes
 * from the watches, which arrive on the projection's thread, are queued and applied by whoever
 * holds the cache next (or at once when it is free), so a watch never waits for a decision.
 *
 * <p>The cache is filled from the projection on first use, after the watches have started, so that
 * no change falls between the lists and the watches: changes the lists already hold are skipped.
 */
final class CacheGuard {

  private static final Logger LOG = LoggerFactory.getLogger(CacheGuard.class);

  /** Changes held before the first decision beyond which the cache is filled anyway. */
  static final int LOAD_EAGERLY_AFTER = 10_000;

  private final Projection projection;
  private final SchedulerCache cache = new SchedulerCache();
  private final Consumer<SchedulerCache.Wake> onWake;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedQueue<WatchEvent> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private volatile boolean loaded;
  private SchedulerCache.Wake wake = SchedulerCache.Wake.NONE;

  CacheGuard(Projection projection, Consumer<SchedulerCache.Wake> onWake) {
    this.projection = projection;
    this.onWake = onWake;
  }

  /** A change from a watch of Nodes or Pods. */
  void offer(WatchEvent event) {
    pending.add(event);
    pendingCount.incrementAndGet();
    drain();
  }

  /** Runs {@code action} on the up-to-date cache, alone. */
  <T> T locked(Function<SchedulerCache, T> action) {
    T result;
    SchedulerCache.Wake woken;
    lock.lock();
    try {
      catchUp();
      result = action.apply(cache);
      woken = takeWake();
    } finally {
      lock.unlock();
    }
    notify(woken);
    drain();
    return result;
  }

  private void drain() {
    while (pendingCount.get() > 0
        && (loaded || pendingCount.get() > LOAD_EAGERLY_AFTER)
        && lock.tryLock()) {
      SchedulerCache.Wake woken;
      try {
        catchUp();
        woken = takeWake();
      } finally {
        lock.unlock();
      }
      notify(woken);
    }
  }

  private void catchUp() {
    if (!loaded) {
      cache.load(
          projection.list(ListQuery.all(SchedulerCache.NODE)),
          projection.list(ListQuery.all(SchedulerCache.POD)));
      loaded = true;
      LOG.info("scheduler cache filled: {} nodes", cache.nodes().size());
    }
    WatchEvent event;
    while ((event = pending.poll()) != null) {
      pendingCount.decrementAndGet();
      try {
        wake = wake.or(cache.apply(event));
      } catch (RuntimeException e) {
        LOG.warn("scheduler cache: cannot apply {}: {}", event.object().key(), e.toString());
      }
    }
  }

  private SchedulerCache.Wake takeWake() {
    SchedulerCache.Wake w = wake;
    wake = SchedulerCache.Wake.NONE;
    return w;
  }

  private void notify(SchedulerCache.Wake woken) {
    if (woken != SchedulerCache.Wake.NONE) {
      onWake.accept(woken);
    }
  }
}
