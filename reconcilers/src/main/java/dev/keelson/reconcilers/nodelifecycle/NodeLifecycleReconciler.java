package dev.keelson.reconcilers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.Controller;
import dev.keelson.reconcilers.control.EventRecorder;
import dev.keelson.reconcilers.control.Outcome;
import dev.keelson.reconcilers.control.Reconciler;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's node lifecycle controller with its taint eviction: a node whose agent has been silent
 * (no new Ready heartbeat, no Lease renewal) for the node monitor grace period gets its conditions
 * Unknown and the unreachable taint; the node's taints follow its conditions; and the pods of a
 * node with NoExecute taints are marked not ready and evicted once their tolerations run out, so
 * that their controllers make them again elsewhere.
 *
 * <p>Heartbeats are not watched (they come every few seconds from every node); each node is looked
 * at again every monitor period instead, as upstream's monitor loop does, and at the moment a grace
 * period or a toleration runs out.
 */
public final class NodeLifecycleReconciler implements Reconciler {

  static final GroupKind NODE = GroupKind.core("Node");
  static final String COMPONENT = "node-controller";
  private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleReconciler.class);

  private final Projection projection;
  private final Projection leases;
  private final ClusterWriter writer;
  private final Clock clock;
  private final Duration grace;
  private final Duration monitorPeriod;
  private final NodeHealth health = new NodeHealth();
  private final NodePods pods;
  private final EventRecorder events;

  NodeLifecycleReconciler(ControlContext context) {
    this.projection = context.projection();
    this.leases = context.leases();
    this.writer = context.writerAs(COMPONENT);
    this.clock = context.clock();
    this.grace = context.settings().nodeMonitorGracePeriod();
    this.monitorPeriod = monitorPeriod(grace);
    this.events = context.events(COMPONENT);
    this.pods =
        new NodePods(
            projection,
            writer,
            context.events("taint-eviction-controller"),
            context.settings().podEvictionTimeout());
  }

  public static Controller controller(ControlContext context) {
    return Controller.builder("nodelifecycle", NODE, new NodeLifecycleReconciler(context))
        .watch(NodePods.POD, NodeLifecycleReconciler::nodesOfPod)
        .build();
  }

  /** How often a node is looked at: upstream's 5 s for its 50 s grace, less for a shorter grace. */
  static Duration monitorPeriod(Duration grace) {
    Duration tenth = grace.dividedBy(10);
    Duration floor = Duration.ofMillis(100);
    Duration ceiling = Duration.ofSeconds(5);
    return tenth.compareTo(floor) < 0 ? floor : tenth.compareTo(ceiling) > 0 ? ceiling : tenth;
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    Optional<StoredObject> stored = projection.get(key);
    if (stored.isEmpty()) {
      health.forget(key.name());
      pods.forget(key.name());
      return CompletableFuture.completedFuture(Outcome.DONE); // its pods are the pod GC's
    }
    Instant now = clock.instant();
    ObjectNode node = stored.get().object();
    JsonNode ready = NodeConditions.find(node, "Ready");
    if (!health.knows(key.name())) {
      events.normal(node, "RegisteredNode", "Registered Node " + key.name() + " in Controller");
    }
    Instant probe =
        health.observe(
            key.name(),
            ready == null ? null : ready.path("lastHeartbeatTime").asText(null),
            leaseRenewTime(key.name()),
            now);
    Instant deadline = probe.plus(grace);
    return markUnknownWhenSilent(key, stored.get(), now.isAfter(deadline))
        .thenCompose(this::updateTaints)
        .thenCompose(current -> pods.handle(current, now))
        .thenApply(nextEviction -> requeue(now, deadline, nextEviction));
  }

  /** Step 1: a node silent past its grace period has its agent's conditions set Unknown. */
  private CompletableFuture<StoredObject> markUnknownWhenSilent(
      ResourceKey key, StoredObject stored, boolean silent) {
    ObjectNode node = stored.object();
    String time = writer.now();
    if (!silent || !NodeConditions.markUnknown(node.deepCopy(), time)) {
      return CompletableFuture.completedFuture(stored);
    }
    String readyBefore = NodeConditions.status(node, "Ready");
    return writer
        .modify(
            key,
            stored.resourceVersion(),
            WritePath.Part.STATUS,
            n -> {
              NodeConditions.markUnknown(n, time);
              return n;
            })
        .thenApply(
            result -> {
              StoredObject written = accepted(result);
              if (!"Unknown".equals(readyBefore)) {
                LOG.info(
                    "node {} silent for more than {}: its status is now Unknown",
                    key.name(),
                    grace);
                events.normal(
                    node, "NodeNotReady", "Node " + key.name() + " status is now: NodeNotReady");
              }
              return written;
            });
  }

  /** Step 2: the controller's taints follow the node's conditions. */
  private CompletableFuture<StoredObject> updateTaints(StoredObject stored) {
    ObjectNode node = stored.object();
    String time = writer.now();
    JsonNode wanted = NodeTaints.desired(node, time);
    JsonNode current = node.path("spec").path("taints");
    if (current.isArray() ? wanted.equals(current) : wanted.isEmpty()) {
      return CompletableFuture.completedFuture(stored);
    }
    return writer
        .modify(
            stored.key(),
            stored.resourceVersion(),
            WritePath.Part.MAIN,
            n -> {
              JsonNode taints = NodeTaints.desired(n, time);
              if (taints.isEmpty()) {
                n.with("spec").remove("taints");
              } else {
                n.with("spec").set("taints", taints);
              }
              return n;
            })
        .thenApply(NodeLifecycleReconciler::accepted);
  }

  private Outcome requeue(Instant now, Instant deadline, Optional<Instant> nextEviction) {
    Duration delay = monitorPeriod;
    if (deadline.isAfter(now)) {
      delay = min(delay, Duration.between(now, deadline).plusMillis(10));
    }
    if (nextEviction.isPresent()) {
      delay = min(delay, Duration.between(now, nextEviction.get()).plusMillis(10));
    }
    return Outcome.requeueAfter(delay);
  }

  private Instant leaseRenewTime(String node) {
    if (leases == null) {
      return null;
    }
    return leases
        .get(ResourceKey.of("coordination.k8s.io", "Lease", "kube-node-lease", node))
        .map(l -> Times.parse(l.object().path("spec").path("renewTime").asText(null)))
        .orElse(null);
  }

  /** A pod queues its node when it is bound to one (a new pod may have to go at once). */
  static Collection<ResourceKey> nodesOfPod(WatchEvent event) {
    Set<ResourceKey> keys = new LinkedHashSet<>();
    String now = event.object().fields().get("spec.nodeName");
    String before =
        event.previous() == null ? null : event.previous().fields().get("spec.nodeName");
    if (event.type() != WatchEvent.Type.DELETED && !Objects.equals(now, before)) {
      if (now != null && !now.isEmpty()) {
        keys.add(ResourceKey.of("", "Node", "", now));
      }
    }
    return keys;
  }

  static StoredObject accepted(WriteResult result) {
    if (result instanceof WriteResult.Accepted a) {
      return a.object();
    }
    WriteResult.Rejected r = (WriteResult.Rejected) result;
    throw new IllegalStateException(r.reason() + ": " + r.message());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
