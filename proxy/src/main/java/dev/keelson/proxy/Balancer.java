package dev.keelson.proxy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Picks the endpoint of each new connection: round-robin over a Service port's ready endpoints, or,
 * with ClientIP affinity, the endpoint the same client got last, while that endpoint is still ready
 * and the client came back within the timeout. Safe for concurrent use.
 */
final class Balancer {

  private record Sticky(Backend backend, long expiresAtNanos) {}

  private final LongSupplier nanoClock;
  private final Map<ServicePortName, AtomicLong> turns = new ConcurrentHashMap<>();
  private final Map<ServicePortName, Map<String, Sticky>> sticky = new ConcurrentHashMap<>();

  Balancer(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  Balancer() {
    this(System::nanoTime);
  }

  /** The endpoint for a new connection from {@code clientIp}; empty when none is ready. */
  Optional<Backend> pick(Route route, String clientIp) {
    List<Backend> backends = route.backends();
    if (backends.isEmpty()) {
      return Optional.empty();
    }
    long now = nanoClock.getAsLong();
    Map<String, Sticky> clients = null;
    if (!route.affinity().isZero()) {
      clients = sticky.computeIfAbsent(route.service(), k -> new ConcurrentHashMap<>());
      Sticky last = clients.get(clientIp);
      if (last != null && last.expiresAtNanos() - now > 0 && backends.contains(last.backend())) {
        clients.put(clientIp, new Sticky(last.backend(), now + route.affinity().toNanos()));
        return Optional.of(last.backend());
      }
    }
    long turn = turns.computeIfAbsent(route.service(), k -> new AtomicLong()).getAndIncrement();
    Backend chosen = backends.get((int) Math.floorMod(turn, (long) backends.size()));
    if (clients != null) {
      clients.put(clientIp, new Sticky(chosen, now + route.affinity().toNanos()));
    }
    return Optional.of(chosen);
  }

  /** The endpoint after {@code failed}, for a connection whose first endpoint did not answer. */
  Optional<Backend> next(Route route, Backend failed) {
    List<Backend> backends = route.backends();
    int at = backends.indexOf(failed);
    if (backends.size() < 2 || at < 0) {
      return Optional.empty();
    }
    return Optional.of(backends.get((at + 1) % backends.size()));
  }

  /** Forgets the state of Service ports that no longer exist. */
  void retain(java.util.Set<ServicePortName> services) {
    turns.keySet().retainAll(services);
    sticky.keySet().retainAll(services);
    long now = nanoClock.getAsLong();
    sticky.values().forEach(m -> m.values().removeIf(s -> s.expiresAtNanos() - now <= 0));
  }
}
