package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.projection.Rejection;
import dev.keelson.reconcilers.replicaset.Owners;
import dev.keelson.write.WriteRefusedException;
import dev.keelson.write.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The creation of a deployment's new ReplicaSet (upstream's getNewReplicaSet when none exists):
 * named {@code <deployment>-<pod-template-hash>}, the hash on its selector, template labels and
 * name, owned by the deployment, sized as the strategy allows. A name taken by a ReplicaSet that is
 * not this template's is a hash collision: the deployment's collisionCount goes up and the next
 * sync hashes again.
 */
final class NewReplicaSet {

  private NewReplicaSet() {}

  static CompletableFuture<DeploymentSync.Sets> create(
      DeploymentSync sync, DeploymentView d, List<ReplicaSetView> old, long newRevision) {
    ObjectNode deployment = sync.deployment();
    JsonNode status = deployment.path("status");
    Integer collisionCount =
        status.hasNonNull("collisionCount") ? status.get("collisionCount").asInt() : null;
    ObjectNode rs =
        replicaSet(
            deployment,
            TemplateHash.compute(deployment.path("spec").path("template"), collisionCount));
    ReplicaSetView empty = ReplicaSetView.of(rs).withReplicas(0);
    List<ReplicaSetView> all = new ArrayList<>(old);
    all.add(empty);
    int replicas = RolloutMath.newReplicaSetReplicas(d, all, empty);
    rs.with("spec").put("replicas", replicas);
    Map<String, String> annotations =
        Revisions.newReplicaSetAnnotations(d, Map.of(), newRevision, false);
    annotations.forEach(rs.with("metadata").with("annotations")::put);
    String name = Meta.name(rs);
    return sync.writes()
        .create(rs)
        .handle((result, error) -> outcome(result, DeploymentSync.unwrap(error)))
        .thenCompose(
            created -> {
              if (created instanceof WriteResult.Accepted a) {
                return created(
                    sync,
                    d,
                    ReplicaSetView.of(a.object().object()),
                    old,
                    newRevision,
                    replicas,
                    false);
              }
              WriteResult.Rejected r = (WriteResult.Rejected) created;
              if (r.reason() == Rejection.ALREADY_EXISTS && r.current() != null) {
                JsonNode existing = r.current().object();
                if (Owners.isControlledBy(existing, d.uid())
                    && Templates.equalIgnoreHash(
                        deployment.path("spec").path("template"),
                        existing.path("spec").path("template"))) {
                  return created(
                      sync, d, ReplicaSetView.of(existing), old, newRevision, replicas, true);
                }
                return collision(sync, collisionCount);
              }
              return failed(sync, d, name, r.message());
            });
  }

  private static WriteResult outcome(WriteResult result, Throwable error) {
    if (error instanceof WriteRefusedException refused) {
      return new WriteResult.Rejected(Rejection.INVALID, refused.getMessage(), null);
    }
    if (error != null) {
      throw new CompletionException(error);
    }
    return result;
  }

  /** The ReplicaSet of the deployment's template with {@code hash}, without size or annotations. */
  static ObjectNode replicaSet(JsonNode deployment, String hash) {
    ObjectNode template = Templates.withoutHash(deployment.path("spec").path("template"));
    template.with("metadata").with("labels").put(TemplateHash.LABEL, hash);
    ObjectNode rs = Json.object();
    rs.put("apiVersion", "apps/v1");
    rs.put("kind", "ReplicaSet");
    ObjectNode metadata = rs.putObject("metadata");
    metadata.put("name", Meta.name(deployment) + "-" + hash);
    metadata.put("namespace", Meta.namespace(deployment));
    metadata.set("labels", template.path("metadata").path("labels").deepCopy());
    metadata.putArray("ownerReferences").add(Owners.controllerRef(deployment));
    ObjectNode spec = rs.putObject("spec");
    spec.put("replicas", 0);
    spec.put("minReadySeconds", deployment.path("spec").path("minReadySeconds").asInt(0));
    ObjectNode selector = deployment.path("spec").path("selector").deepCopy();
    selector.with("matchLabels").put(TemplateHash.LABEL, hash);
    spec.set("selector", selector);
    spec.set("template", template);
    return rs;
  }

  private static CompletableFuture<DeploymentSync.Sets> created(
      DeploymentSync sync,
      DeploymentView d,
      ReplicaSetView created,
      List<ReplicaSetView> old,
      long newRevision,
      int replicas,
      boolean existed) {
    sync.remember(created);
    if (!existed && replicas > 0) {
      sync.writes()
          .event(
              sync.deployment(),
              "Normal",
              "ScalingReplicaSet",
              "Scaled up replica set " + created.name() + " from 0 to " + replicas);
    }
    String revision = Long.toString(newRevision);
    boolean revisionStale = !revision.equals(d.annotations().get(ReplicaSetView.REVISION));
    ObjectNode status = statusCopy(sync);
    boolean conditionSet = false;
    if (!existed && d.progressDeadlineSeconds() != null) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.condition(
              DeploymentConditions.PROGRESSING,
              "True",
              DeploymentConditions.NEW_RS_CREATED,
              "Created new replica set \"" + created.name() + "\"",
              DeploymentStatus.time(sync.now())));
      conditionSet = true;
    }
    DeploymentSync.Sets sets = new DeploymentSync.Sets(created, old);
    if (!revisionStale && !conditionSet) {
      return CompletableFuture.completedFuture(sets);
    }
    return sync.writeDeployment(revisionStale ? revision : null, status).thenApply(v -> sets);
  }

  /** A hash collision: count it in the status, and fail this sync so the next one hashes anew. */
  private static CompletableFuture<DeploymentSync.Sets> collision(
      DeploymentSync sync, Integer collisionCount) {
    ObjectNode status = statusCopy(sync);
    status.put("collisionCount", collisionCount == null ? 1 : collisionCount + 1);
    return sync.writeDeployment(null, status)
        .thenApply(
            v -> {
              throw new CompletionException(
                  new IllegalStateException(
                      "hash collision: bumped collisionCount of "
                          + Meta.name(sync.deployment())
                          + " to "
                          + status.get("collisionCount")));
            });
  }

  /** Upstream reports a failed create in the Progressing condition and as an event. */
  private static CompletableFuture<DeploymentSync.Sets> failed(
      DeploymentSync sync, DeploymentView d, String name, String error) {
    String message = "Failed to create new replica set \"" + name + "\": " + error;
    sync.writes()
        .event(sync.deployment(), "Warning", DeploymentConditions.FAILED_RS_CREATE, message);
    CompletableFuture<Void> reported = DeploymentSync.done();
    if (d.progressDeadlineSeconds() != null) {
      ObjectNode status = statusCopy(sync);
      DeploymentConditions.set(
          status,
          DeploymentConditions.condition(
              DeploymentConditions.PROGRESSING,
              "False",
              DeploymentConditions.FAILED_RS_CREATE,
              message,
              DeploymentStatus.time(sync.now())));
      reported = sync.writeDeployment(null, status).exceptionally(e -> null);
    }
    return reported.thenApply(
        v -> {
          throw new CompletionException(new IllegalStateException(message));
        });
  }

  private static ObjectNode statusCopy(DeploymentSync sync) {
    JsonNode status = sync.deployment().path("status");
    return status.isObject() ? ((ObjectNode) status).deepCopy() : Json.object();
  }
}
