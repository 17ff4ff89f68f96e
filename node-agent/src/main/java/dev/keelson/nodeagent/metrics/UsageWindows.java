package dev.keelson.nodeagent.metrics;

import dev.keelson.nodeagent.runtime.Usage;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last reading of each container, so that every new reading yields the rate over the window
 * since the one before. A container's first reading yields none: its metrics appear one window
 * after it starts, as with metrics-server.
 */
final class UsageWindows {

  private final Map<String, Usage> last = new HashMap<>();

  /** Records {@code now} for {@code id} and answers the rate since its previous reading. */
  synchronized Optional<UsageRate.Rate> next(String id, Usage now) {
    Usage before = last.put(id, now);
    return before == null ? Optional.empty() : UsageRate.between(before, now);
  }

  /** Forgets the containers that are not among {@code ids} (removed, or no longer running). */
  synchronized void retain(Collection<String> ids) {
    last.keySet().retainAll(ids);
  }

  synchronized int size() {
    return last.size();
  }
}
