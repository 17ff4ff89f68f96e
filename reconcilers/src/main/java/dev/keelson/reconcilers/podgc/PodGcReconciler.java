package dev.keelson.reconcilers.podgc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.Projection;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.Controller;
import dev.keelson.reconcilers.control.Outcome;
import dev.keelson.reconcilers.control.Reconciler;
import dev.keelson.write.DeleteOptions;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's pod garbage collector for pods no node will finish: pods bound to a node that is gone,
 * and pods being deleted on a node whose agent went silent (see {@link PodGc}). The pods of a node
 * are looked at when the node goes, or when its readiness changes.
 */
public final class PodGcReconciler implements Reconciler {

  static final GroupKind POD = GroupKind.core("Pod");
  private static final Logger LOG = LoggerFactory.getLogger(PodGcReconciler.class);
  static final GroupKind NODE = GroupKind.core("Node");

  /** Upstream's quarantine before the pods of a missing node go. */
  static final Duration QUARANTINE = Duration.ofSeconds(40);

  private final Projection projection;
  private final ClusterWriter writer;
  private final Clock clock;
  private final Duration quarantine;
  private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

  PodGcReconciler(ControlContext context) {
    this.projection = context.projection();
    this.writer = context.writerAs("pod-garbage-collector");
    this.clock = context.clock();
    Duration grace = context.settings().nodeMonitorGracePeriod();
    // A node unregistered for longer than the grace period would count as dead anyway.
    this.quarantine = grace.compareTo(QUARANTINE) < 0 ? grace : QUARANTINE;
  }

  public static Controller controller(ControlContext context) {
    PodGcReconciler reconciler = new PodGcReconciler(context);
    return Controller.builder("podgc", POD, reconciler).watch(NODE, reconciler::podsOfNode).build();
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    Optional<StoredObject> pod = projection.get(key);
    if (pod.isEmpty()) {
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    ObjectNode object = pod.get().object();
    String nodeName = object.path("spec").path("nodeName").asText("");
    if (nodeName.isEmpty()) {
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    Instant now = clock.instant();
    JsonNode node =
        projection.get(ResourceKey.of("", "Node", "", nodeName)).map(n -> n.object()).orElse(null);
    Instant missing = null;
    if (node == null) {
      missing = missingSince.computeIfAbsent(nodeName, n -> now);
    } else {
      missingSince.remove(nodeName);
    }
    PodGc.Decision decision = PodGc.decide(object, node, missing, quarantine, now);
    if (decision instanceof PodGc.Wait wait) {
      return CompletableFuture.completedFuture(Outcome.requeueAfter(wait.delay().plusMillis(10)));
    }
    if (decision instanceof PodGc.ForceDelete delete) {
      return forceDelete(pod.get(), object, delete.reason()).thenApply(v -> Outcome.DONE);
    }
    return CompletableFuture.completedFuture(Outcome.DONE);
  }

  /**
   * Deletes the pod with grace 0; one that was not being deleted first gets upstream's
   * DisruptionTarget condition and, unless it had ended, phase Failed.
   */
  private CompletableFuture<Void> forceDelete(StoredObject stored, ObjectNode pod, String why) {
    LOG.info("force-deleting pod {}: {}", stored.key(), why);
    CompletableFuture<WriteResult> marked;
    if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
      marked = CompletableFuture.completedFuture(null);
    } else {
      String time = writer.now();
      marked =
          writer.modify(
              stored.key(),
              stored.resourceVersion(),
              WritePath.Part.STATUS,
              p -> {
                ClusterWriter.setCondition(
                    p, "DisruptionTarget", "True", "DeletionByPodGC", why, time);
                String phase = p.path("status").path("phase").asText("");
                if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
                  p.with("status").put("phase", "Failed");
                }
                return p;
              });
    }
    return marked.thenCompose(
        result -> {
          if (result instanceof WriteResult.Rejected r) {
            return refused(r);
          }
          return writer
              .delete(stored.key(), new DeleteOptions(0L, null, stored.uid(), null))
              .thenCompose(
                  deleted ->
                      deleted instanceof WriteResult.Rejected r
                          ? refused(r)
                          : CompletableFuture.completedFuture(null));
        });
  }

  /** A pod that is gone needs nothing more; any other refusal fails the reconcile (retried). */
  private static CompletableFuture<Void> refused(WriteResult.Rejected r) {
    if (r.reason() == Rejection.NOT_FOUND) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.failedFuture(
        new IllegalStateException(r.reason() + ": " + r.message()));
  }

  /** A node that goes, or whose readiness changes, queues the pods bound to it. */
  Collection<ResourceKey> podsOfNode(WatchEvent event) {
    boolean relevant = event.type() == WatchEvent.Type.DELETED;
    if (event.type() == WatchEvent.Type.MODIFIED && event.previous() != null) {
      relevant =
          !Objects.equals(
              PodGc.readyStatus(event.object().object()),
              PodGc.readyStatus(event.previous().object()));
    }
    if (!relevant) {
      return List.of();
    }
    return projection
        .list(ListQuery.all(POD).withFields(Map.of("spec.nodeName", event.object().key().name())))
        .items()
        .stream()
        .map(StoredObject::key)
        .toList();
  }
}
