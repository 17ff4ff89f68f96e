package dev.keelson.reconcilers.job;

import dev.keelson.api.ResourceKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Upstream's ControllerExpectations: after a sync issues pod creations or deletions, the next sync
 * of that Job creates or deletes nothing until all of them have been seen in the watch (or a
 * timeout passed), so a burst of syncs never acts twice on the same shortfall. A write that surely
 * failed is counted as seen at once; one whose fate is unknown stays expected until its record
 * shows up or the timeout ends the wait.
 */
final class Expectations {

  /** Upstream's ExpectationsTimeout. */
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  private record Expected(AtomicInteger adds, AtomicInteger deletes, long since) {}

  private final Map<ResourceKey, Expected> expected = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  Expectations(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  Expectations() {
    this(System::nanoTime);
  }

  /** Whether a sync of {@code key} may create or delete pods now. */
  boolean satisfied(ResourceKey key) {
    Expected e = expected.get(key);
    return e == null
        || e.adds().get() <= 0 && e.deletes().get() <= 0
        || nanoTime.getAsLong() - e.since() > TIMEOUT.toNanos();
  }

  /**
   * Replaces what {@code key} expects with {@code adds} creations and {@code deletes} deletions.
   */
  void expect(ResourceKey key, int adds, int deletes) {
    expected.put(
        key,
        new Expected(new AtomicInteger(adds), new AtomicInteger(deletes), nanoTime.getAsLong()));
  }

  void creationObserved(ResourceKey key) {
    Expected e = expected.get(key);
    if (e != null) {
      e.adds().decrementAndGet();
    }
  }

  void deletionObserved(ResourceKey key) {
    Expected e = expected.get(key);
    if (e != null) {
      e.deletes().decrementAndGet();
    }
  }

  /** Forgets a Job that is gone. */
  void forget(ResourceKey key) {
    expected.remove(key);
  }
}
