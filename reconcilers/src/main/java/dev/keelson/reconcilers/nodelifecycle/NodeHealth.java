package dev.keelson.reconcilers.nodelifecycle;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the controller last saw each node alive, on its own clock (upstream's nodeHealthMap and its
 * probeTimestamp). A node shows it is alive by a new heartbeat of its Ready condition or a newer
 * renewTime of its Lease; both are written with the agent's clock, so they are only compared with
 * what the agent wrote before, never with the controller's clock. A node seen for the first time (a
 * new node, or every node after this controller became leader) gets a full grace period.
 */
final class NodeHealth {

  private record Seen(String readyHeartbeat, Instant leaseRenewed, Instant probe) {}

  private final Map<String, Seen> nodes = new ConcurrentHashMap<>();

  /**
   * Records what {@code node} shows now and answers the local time of its last sign of life.
   *
   * @param readyHeartbeat the lastHeartbeatTime of its Ready condition (null: none)
   * @param leaseRenewed the renewTime of its Lease (null: no Lease)
   */
  Instant observe(String node, String readyHeartbeat, Instant leaseRenewed, Instant now) {
    return nodes
        .compute(
            node,
            (name, seen) -> {
              if (seen == null) {
                return new Seen(readyHeartbeat, leaseRenewed, now);
              }
              boolean posted =
                  readyHeartbeat != null && !Objects.equals(readyHeartbeat, seen.readyHeartbeat());
              boolean renewed =
                  leaseRenewed != null
                      && (seen.leaseRenewed() == null || leaseRenewed.isAfter(seen.leaseRenewed()));
              Instant probe = posted || renewed ? now : seen.probe();
              Instant lease = renewed ? leaseRenewed : seen.leaseRenewed();
              return new Seen(readyHeartbeat, lease, probe);
            })
        .probe();
  }

  /** Whether {@code node} has been seen (since it last went, or this controller started). */
  boolean knows(String node) {
    return nodes.containsKey(node);
  }

  void forget(String node) {
    nodes.remove(node);
  }
}
