package dev.keelson.reconcilers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Meta;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.Projection;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.StoredObject;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.EventRecorder;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sick node means for its pods: on a node gone silent they are no longer Ready (upstream's
 * MarkPodsNotReady; on a node that is alive but not ready, its agent keeps their status), and under
 * NoExecute taints they are evicted once their tolerations run out (upstream's taint eviction).
 */
final class NodePods {

  static final GroupKind POD = GroupKind.core("Pod");
  private static final Logger LOG = LoggerFactory.getLogger(NodePods.class);

  private final Projection projection;
  private final ClusterWriter writer;
  private final EventRecorder events;
  private final Duration defaultToleration;

  /** When a NoExecute taint without timeAdded was first seen, by node/key:effect. */
  private final Map<String, Instant> untimedTaints = new ConcurrentHashMap<>();

  NodePods(
      Projection projection,
      ClusterWriter writer,
      EventRecorder events,
      Duration defaultToleration) {
    this.projection = projection;
    this.writer = writer;
    this.events = events;
    this.defaultToleration = defaultToleration;
  }

  /** Step 3: marks and evicts the node's pods; answers when the next eviction is due. */
  CompletableFuture<Optional<Instant>> handle(StoredObject stored, Instant now) {
    ObjectNode node = stored.object();
    String name = stored.key().name();
    boolean unreachable = "Unknown".equals(NodeConditions.status(node, "Ready"));
    JsonNode taints = node.path("spec").path("taints");
    boolean noExecute = false;
    for (JsonNode taint : taints) {
      noExecute |= NodeTaints.NO_EXECUTE.equals(taint.path("effect").asText());
    }
    if (!unreachable && !noExecute) {
      untimedTaints.keySet().removeIf(k -> k.startsWith(name + "/"));
      return CompletableFuture.completedFuture(Optional.empty());
    }
    List<CompletableFuture<?>> writes = new ArrayList<>();
    Instant next = null;
    for (StoredObject pod : onNode(name)) {
      ObjectNode object = pod.object();
      if (object.path("metadata").hasNonNull("deletionTimestamp")) {
        continue; // going already; the pod GC finishes it if the node cannot
      }
      if (noExecute) {
        Optional<Instant> due =
            TaintEviction.evictionTime(
                object.path("spec").path("tolerations"),
                taints,
                defaultToleration,
                taint -> addedAt(name, taint, now));
        if (due.isPresent() && !due.get().isAfter(now)) {
          writes.add(evict(pod, object));
          continue;
        }
        if (due.isPresent() && (next == null || due.get().isBefore(next))) {
          next = due.get();
        }
      }
      if (unreachable && "True".equals(NodeConditions.status(object, "Ready"))) {
        writes.add(markNotReady(pod, object));
      }
    }
    Optional<Instant> nextEviction = Optional.ofNullable(next);
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
        .thenApply(v -> nextEviction);
  }

  void forget(String node) {
    untimedTaints.keySet().removeIf(k -> k.startsWith(node + "/"));
  }

  private List<StoredObject> onNode(String node) {
    return projection.list(ListQuery.all(POD).withFields(Map.of("spec.nodeName", node))).items();
  }

  private Instant addedAt(String node, JsonNode taint, Instant now) {
    Instant added = Times.parse(taint.path("timeAdded").asText(null));
    if (added != null) {
      return added;
    }
    String id = node + "/" + taint.path("key").asText() + ":" + taint.path("effect").asText();
    return untimedTaints.computeIfAbsent(id, k -> now);
  }

  /** Upstream's MarkPodsNotReady: Ready False, nothing else of the agent's status changed. */
  private CompletableFuture<?> markNotReady(StoredObject stored, ObjectNode pod) {
    String time = writer.now();
    return writer
        .modify(
            stored.key(),
            stored.resourceVersion(),
            WritePath.Part.STATUS,
            p -> {
              JsonNode ready = NodeConditions.find(p, "Ready");
              if (ready instanceof ObjectNode r && !"False".equals(r.path("status").asText())) {
                r.put("status", "False");
                r.put("lastTransitionTime", time);
              }
              return p;
            })
        .thenAccept(
            result -> {
              if (gone(result)) {
                return;
              }
              events.warning(pod, "NodeNotReady", "Node is not ready");
            });
  }

  /** Upstream's taint eviction: the DisruptionTarget condition says why, then the pod goes. */
  private CompletableFuture<?> evict(StoredObject stored, ObjectNode pod) {
    String time = writer.now();
    return writer
        .modify(
            stored.key(),
            stored.resourceVersion(),
            WritePath.Part.STATUS,
            p -> {
              ClusterWriter.setCondition(
                  p,
                  "DisruptionTarget",
                  "True",
                  "DeletionByTaintManager",
                  "Taint manager: deleting due to NoExecute taint",
                  time);
              return p;
            })
        .thenCompose(
            result -> {
              if (gone(result)) {
                return CompletableFuture.completedFuture(null);
              }
              LOG.info(
                  "evicting pod {} from node {}",
                  stored.key(),
                  pod.path("spec").path("nodeName").asText());
              events.normal(
                  pod,
                  "TaintManagerEviction",
                  "Marking for deletion Pod " + Meta.namespace(pod) + "/" + Meta.name(pod));
              return writer.delete(stored.key(), stored.uid()).thenAccept(NodePods::gone);
            });
  }

  /**
   * Whether a write found the pod gone (nothing left to do); any other refusal (a newer version)
   * fails the reconcile, which runs again on the current state.
   */
  static boolean gone(WriteResult result) {
    if (result instanceof WriteResult.Rejected r) {
      if (r.reason() == Rejection.NOT_FOUND) {
        return true;
      }
      throw new IllegalStateException(r.reason() + ": " + r.message());
    }
    return false;
  }
}
