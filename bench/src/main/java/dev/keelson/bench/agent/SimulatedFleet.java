package dev.keelson.bench.agent;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * The simulated nodes {@code PREFIX-0 ... PREFIX-(N-1)} as the API shows them: their Ready
 * conditions and Leases, read with a list of each kind, and the renewals of their Leases counted on
 * a watch of {@code kube-node-lease}.
 */
final class SimulatedFleet implements AutoCloseable {

  static final String LEASE_NAMESPACE = "kube-node-lease";

  /** The kubelet's lease duration: a Lease not renewed within it means the node is gone. */
  static final Duration LEASE_DURATION = Duration.ofSeconds(40);

  /**
   * How the fleet stands at one moment.
   *
   * @param ready nodes whose Ready condition is True
   * @param leases nodes with a Lease
   * @param fresh Leases renewed within {@link #LEASE_DURATION}
   * @param oldestRenewal the age of the least recently renewed Lease
   */
  record Health(int ready, int leases, int fresh, Duration oldestRenewal) {}

  private final KubernetesClient client;
  private final String prefix;
  private final int nodes;
  private final AtomicLong renewals = new AtomicLong();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private Watch watch;

  SimulatedFleet(KubernetesClient client, String prefix, int nodes) {
    this.client = client;
    this.prefix = prefix + "-";
    this.nodes = nodes;
  }

  List<String> nodeNames() {
    return IntStream.range(0, nodes).mapToObj(i -> prefix + i).toList();
  }

  /** Nodes whose Ready condition is True. */
  int readyNodes() {
    int ready = 0;
    for (Node node :
        client.nodes().withLabel("node.keelson.dev/simulated", "true").list().getItems()) {
      if (ours(node.getMetadata().getName()) && isReady(node)) {
        ready++;
      }
    }
    return ready;
  }

  Health health(Instant now) {
    int ready = readyNodes();
    int leases = 0;
    int fresh = 0;
    Duration oldest = Duration.ZERO;
    for (Lease lease : client.leases().inNamespace(LEASE_NAMESPACE).list().getItems()) {
      if (!ours(lease.getMetadata().getName()) || lease.getSpec().getRenewTime() == null) {
        continue;
      }
      leases++;
      Duration age = Duration.between(lease.getSpec().getRenewTime().toInstant(), now);
      if (age.compareTo(LEASE_DURATION) < 0) {
        fresh++;
      }
      if (age.compareTo(oldest) > 0) {
        oldest = age;
      }
    }
    return new Health(ready, leases, fresh, oldest);
  }

  /** Starts counting the updates of the fleet's Leases the control plane sends to watchers. */
  void countRenewals() {
    String version =
        client.leases().inNamespace(LEASE_NAMESPACE).list().getMetadata().getResourceVersion();
    watch =
        client
            .leases()
            .inNamespace(LEASE_NAMESPACE)
            .watch(
                new ListOptionsBuilder().withResourceVersion(version).build(),
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Lease lease) {
                    if (action == Action.MODIFIED && ours(lease.getMetadata().getName())) {
                      renewals.incrementAndGet();
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    problem.compareAndSet(null, "the watch of leases ended: " + cause.getMessage());
                  }
                });
  }

  /** Lease updates seen so far on the watch. */
  long renewals() {
    return renewals.get();
  }

  /** Why the count may be short, or null. */
  String problem() {
    return problem.get();
  }

  private boolean ours(String name) {
    if (!name.startsWith(prefix)) {
      return false;
    }
    try {
      int index = Integer.parseInt(name.substring(prefix.length()));
      return index >= 0 && index < nodes;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isReady(Node node) {
    return node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
