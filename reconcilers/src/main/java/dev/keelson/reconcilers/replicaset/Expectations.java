package dev.keelson.reconcilers.replicaset;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's UIDTrackingControllerExpectations: after a controller issued N creates or deletes for
 * one owner, it does not act for that owner again until it has seen them in the projection (or they
 * expired, after 5 minutes), so that the events of its own writes never make it act twice on the
 * same shortfall. Deletions are tracked by pod key, so that a pod seen first with a
 * deletionTimestamp and later gone counts once.
 *
 * @param <K> the owner's key
 */
public final class Expectations<K> {

  public static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Clock clock;
  private final Duration timeout;
  private final Map<K, Expected> expected = new HashMap<>();

  private static final class Expected {
    long adds;
    long deletes;
    final Set<String> deleteKeys = new HashSet<>();
    final Instant since;

    Expected(long adds, Instant since) {
      this.adds = adds;
      this.since = since;
    }
  }

  public Expectations(Clock clock) {
    this(clock, TIMEOUT);
  }

  public Expectations(Clock clock, Duration timeout) {
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Whether the owner may act: nothing expected, everything seen, or the wait expired. */
  public synchronized boolean satisfied(K owner) {
    Expected e = expected.get(owner);
    return e == null || fulfilled(e) || expired(e);
  }

  /** How long until the owner's unmet expectations expire (zero when it may act now). */
  public synchronized Duration untilExpiry(K owner) {
    Expected e = expected.get(owner);
    if (e == null || fulfilled(e)) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), e.since.plus(timeout));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Replaces what the owner expects with {@code count} creations. */
  public synchronized void expectCreations(K owner, int count) {
    expected.put(owner, new Expected(count, clock.instant()));
  }

  /** Replaces what the owner expects with the deletion of the pods {@code podKeys}. */
  public synchronized void expectDeletions(K owner, Collection<String> podKeys) {
    Expected e = new Expected(0, clock.instant());
    e.deleteKeys.addAll(podKeys);
    e.deletes = e.deleteKeys.size();
    expected.put(owner, e);
  }

  /** A pod of the owner was seen created (or its create failed, so it never will be). */
  public synchronized void creationObserved(K owner) {
    Expected e = expected.get(owner);
    if (e != null) {
      e.adds--;
    }
  }

  /** A pod of the owner was seen deleted or being deleted; counts once per expected pod. */
  public synchronized void deletionObserved(K owner, String podKey) {
    Expected e = expected.get(owner);
    if (e != null && e.deleteKeys.remove(podKey)) {
      e.deletes--;
    }
  }

  /** Forgets the owner (it is gone). */
  public synchronized void delete(K owner) {
    expected.remove(owner);
  }

  private boolean fulfilled(Expected e) {
    return e.adds <= 0 && e.deletes <= 0;
  }

  private boolean expired(Expected e) {
    return Duration.between(e.since, clock.instant()).compareTo(timeout) > 0;
  }
}
