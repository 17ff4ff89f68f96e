package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.Rejection;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.EventRecorder;
import dev.keelson.reconcilers.replicaset.ReplicaSetReconciler;
import dev.keelson.write.DeleteOptions;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteRefusedException;
import dev.keelson.write.WriteResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The writes of one deployment sync: its ReplicaSets' sizes and annotations, and the deployment's
 * revision annotation and status. Each ReplicaSet write re-checks the ReplicaSet it decided on
 * (same uid, and for a scale the same size), so a decision made on an older version is refused
 * rather than applied to a newer one; the sync then fails and is retried on fresh state.
 */
final class DeploymentWrites {

  private final ClusterWriter writer;
  private final EventRecorder events;

  DeploymentWrites(ClusterWriter writer, EventRecorder events) {
    this.writer = writer;
    this.events = events;
  }

  /** Upstream's scaleReplicaSet(AndRecordEvent); completes with the ReplicaSet as it is after. */
  CompletableFuture<ReplicaSetView> scale(JsonNode deployment, DeploymentView d, Scale scale) {
    ReplicaSetView rs = scale.rs();
    Map<String, String> replicasAnnotations = Revisions.replicasAnnotations(d);
    boolean annotationsStale =
        !rs.annotations().entrySet().containsAll(replicasAnnotations.entrySet());
    if (!scale.resizes() && (!scale.refreshAnnotations() || !annotationsStale)) {
      return CompletableFuture.completedFuture(rs);
    }
    return changeReplicaSet(
            Meta.namespace(deployment),
            rs,
            current -> {
              if (current.path("spec").path("replicas").asInt(1) != rs.replicas()) {
                throw new WriteRefusedException(
                    Rejection.CONFLICT, "replica set " + rs.name() + " was resized meanwhile");
              }
              current.with("spec").put("replicas", scale.to());
              replicasAnnotations.forEach(current.with("metadata").with("annotations")::put);
            })
        .thenApply(
            after -> {
              if (scale.resizes()) {
                events.normal(
                    deployment,
                    "ScalingReplicaSet",
                    "Scaled "
                        + scale.direction()
                        + " replica set "
                        + rs.name()
                        + " from "
                        + rs.replicas()
                        + " to "
                        + scale.to());
              }
              return after;
            });
  }

  /** Sets the ReplicaSet's annotations and minReadySeconds (the new ReplicaSet's sync). */
  CompletableFuture<ReplicaSetView> annotate(
      String namespace, ReplicaSetView rs, Map<String, String> annotations, int minReadySeconds) {
    return changeReplicaSet(
        namespace,
        rs,
        current -> {
          ObjectNode metadata = Meta.metadata(current);
          metadata.remove("annotations");
          annotations.forEach(metadata.with("annotations")::put);
          current.with("spec").put("minReadySeconds", minReadySeconds);
        });
  }

  /** Creates a ReplicaSet; completes with the write's result as it is (the caller decides). */
  CompletableFuture<WriteResult> create(ObjectNode rs) {
    return writer.create(rs);
  }

  /** Deletes an old ReplicaSet if it is still the one decided on; gone already is fine. */
  CompletableFuture<Void> delete(String namespace, ReplicaSetView rs) {
    ResourceKey key = key(namespace, rs.name());
    return writer
        .delete(key, new DeleteOptions(null, null, rs.uid(), null))
        .thenAccept(
            result -> {
              if (result instanceof WriteResult.Rejected r && r.reason() != Rejection.NOT_FOUND) {
                throw new WriteRefusedException(r.reason(), r.message());
              }
            });
  }

  /**
   * Writes the deployment's revision annotation (when {@code revision} is not null) and its status
   * at the version the sync read; completes with the deployment as written.
   */
  CompletableFuture<ObjectNode> deployment(
      ObjectNode deployment, String revision, ObjectNode status) {
    return writer
        .modify(
            ResourceKey.of(deployment),
            Meta.resourceVersion(deployment),
            WritePath.Part.ALL,
            current -> {
              if (revision != null) {
                current.with("metadata").with("annotations").put(ReplicaSetView.REVISION, revision);
              }
              current.set("status", status);
              return current;
            })
        .thenApply(DeploymentWrites::accepted);
  }

  void event(JsonNode deployment, String type, String reason, String message) {
    events.record(deployment, type, reason, message);
  }

  private CompletableFuture<ReplicaSetView> changeReplicaSet(
      String namespace, ReplicaSetView rs, Consumer<ObjectNode> change) {
    return writer
        .modify(
            key(namespace, rs.name()),
            null,
            WritePath.Part.MAIN,
            current -> {
              if (!rs.uid().equals(Meta.uid(current))) {
                throw new WriteRefusedException(
                    Rejection.CONFLICT, "replica set " + rs.name() + " was replaced meanwhile");
              }
              change.accept(current);
              Meta.metadata(current).remove("resourceVersion");
              return current;
            })
        .thenApply(result -> ReplicaSetView.of(accepted(result)));
  }

  static ObjectNode accepted(WriteResult result) {
    if (result instanceof WriteResult.Accepted a) {
      return a.object().object();
    }
    WriteResult.Rejected r = (WriteResult.Rejected) result;
    throw new CompletionException(new WriteRefusedException(r.reason(), r.message()));
  }

  static ResourceKey key(String namespace, String name) {
    return ResourceKey.of(
        ReplicaSetReconciler.REPLICA_SET.group(),
        ReplicaSetReconciler.REPLICA_SET.kind(),
        namespace,
        name);
  }
}
