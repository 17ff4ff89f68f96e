package dev.keelson.reconcilers.scheduler;

import dev.keelson.api.ResourceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The pods no node fitted, as upstream's unschedulable queue: a change that may help them brings
 * them back, each after its own back-off since its last attempt (1 s, doubling up to 10 s), so a
 * burst of changes does not make them churn. Also remembers each pod as last read (to decide again
 * without parsing it when it did not change) and when its FailedScheduling event was recorded.
 * Thread-safe.
 */
final class UnschedulablePods {

  static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /**
   * A repeated FailedScheduling event (same message) is recorded at most this often per pod, as
   * client-go's event spam filter holds a source to one event per object every five minutes once
   * its burst is spent.
   */
  static final Duration EVENT_REPEAT = Duration.ofMinutes(5);

  /** A pod to look at again after {@code delay}. */
  record Wakeup(ResourceKey key, Duration delay) {}

  private static final class Entry {
    PodInfo pod;
    int attempts;
    long lastAttempt;
    long lastEvent;
    String eventMessage;
  }

  private final Map<ResourceKey, Entry> entries = new HashMap<>();
  private final LongSupplier nanoTime;

  UnschedulablePods(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * Records a failed attempt of {@code pod} with {@code message}; true when its FailedScheduling
   * event is to be recorded (a new message, or the same after {@link #EVENT_REPEAT}).
   */
  synchronized boolean failed(PodInfo pod, String message) {
    long now = nanoTime.getAsLong();
    Entry e = entries.computeIfAbsent(pod.key(), k -> new Entry());
    e.pod = pod;
    e.attempts++;
    e.lastAttempt = now;
    if (message.equals(e.eventMessage) && now - e.lastEvent < EVENT_REPEAT.toNanos()) {
      return false;
    }
    e.eventMessage = message;
    e.lastEvent = now;
    return true;
  }

  /** The pod as last read, if it is still at {@code revision}. */
  synchronized PodInfo cached(ResourceKey key, long revision) {
    Entry e = entries.get(key);
    return e != null && e.pod.revision() == revision ? e.pod : null;
  }

  /**
   * Whether the pod, unchanged since its last failed attempt (still at {@code revision}), is within
   * its back-off: a change that may help, or the periodic retry, brings it back.
   */
  synchronized boolean backingOff(ResourceKey key, long revision) {
    Entry e = entries.get(key);
    return e != null
        && e.pod.revision() == revision
        && nanoTime.getAsLong() - e.lastAttempt < backoff(e.attempts).toNanos();
  }

  /** The pod as the scheduler's own status write left it (so that write is no news). */
  synchronized void written(PodInfo pod) {
    Entry e = entries.get(pod.key());
    if (e != null && e.pod.uid().equals(pod.uid())) {
      e.pod = pod;
    }
  }

  synchronized void remove(ResourceKey key) {
    entries.remove(key);
  }

  synchronized int size() {
    return entries.size();
  }

  /** The pods a change may help (all, or those with required pod affinity), each with its wait. */
  synchronized List<Wakeup> wake(boolean affinityOnly) {
    long now = nanoTime.getAsLong();
    List<Wakeup> due = new ArrayList<>();
    for (Map.Entry<ResourceKey, Entry> m : entries.entrySet()) {
      Entry e = m.getValue();
      if (affinityOnly && e.pod.affinity().isEmpty()) {
        continue;
      }
      long ready = e.lastAttempt + backoff(e.attempts).toNanos();
      due.add(new Wakeup(m.getKey(), Duration.ofNanos(Math.max(0, ready - now))));
    }
    return due;
  }

  static Duration backoff(int attempts) {
    Duration d = INITIAL_BACKOFF;
    for (int i = 1; i < attempts && d.compareTo(MAX_BACKOFF) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }
}
