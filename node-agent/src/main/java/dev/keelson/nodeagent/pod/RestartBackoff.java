package dev.keelson.nodeagent.pod;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The crash-loop back-off of a node's containers, as the kubelet keeps it: the first restart waits
 * {@code initial}, each next one twice as long up to {@code max}; a container that ran for {@code
 * reset} (twice the maximum upstream) before it stopped starts again from {@code initial}. Held in
 * memory per container, keyed by pod uid and container name.
 */
public final class RestartBackoff {

  private final Duration initial;
  private final Duration max;
  private final Duration reset;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** The wait applied at the last stop, and the one the next stop gets. */
  private record Entry(Duration applied, Duration next) {}

  public RestartBackoff(Duration initial, Duration max, Duration reset) {
    this.initial = initial;
    this.max = max;
    this.reset = reset;
  }

  /** Upstream's figures: 10 s doubling to 5 min, reset after 10 min of good running. */
  public static RestartBackoff standard() {
    return new RestartBackoff(
        Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10));
  }

  /** A back-off with the same figures and no memory. */
  public RestartBackoff copy() {
    return new RestartBackoff(initial, max, reset);
  }

  /** The same figures divided by {@code factor}, so tests see minutes pass in seconds. */
  public RestartBackoff scaled(long factor) {
    return new RestartBackoff(
        initial.dividedBy(factor), max.dividedBy(factor), reset.dividedBy(factor));
  }

  /**
   * Records that a container stopped at {@code finishedAt} after it started at {@code startedAt},
   * once per stop, and answers when it may start again. As upstream, the first stop restarts at
   * once and arms the back-off; the next waits {@code initial}, then twice as long each time.
   */
  public Instant stopped(String key, Instant startedAt, Instant finishedAt) {
    Entry last = entries.get(key);
    boolean ranLong =
        startedAt != null && Duration.between(startedAt, finishedAt).compareTo(reset) >= 0;
    Entry entry =
        last == null || ranLong
            ? new Entry(Duration.ZERO, initial)
            : new Entry(last.next(), min(last.next().multipliedBy(2), max));
    entries.put(key, entry);
    return finishedAt.plus(entry.applied());
  }

  /** The wait of the current back-off of {@code key}, for the CrashLoopBackOff message. */
  public Duration delay(String key) {
    Entry entry = entries.get(key);
    return entry == null ? Duration.ZERO : entry.applied();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Forgets the containers of a pod that is gone. */
  public void forget(String podUid) {
    entries.keySet().removeIf(key -> key.startsWith(podUid + "/"));
  }

  public static String key(String podUid, String container) {
    return podUid + "/" + container;
  }
}
