package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.selector.LabelSelector;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.control.Controller;
import dev.keelson.reconcilers.control.Outcome;
import dev.keelson.reconcilers.control.Reconciler;
import dev.keelson.reconcilers.replicaset.Claimer;
import dev.keelson.reconcilers.replicaset.Claims;
import dev.keelson.reconcilers.replicaset.Owners;
import dev.keelson.reconcilers.replicaset.ReplicaSetReconciler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Rolls each Deployment out through ReplicaSets, as upstream's deployment controller: claims the
 * ReplicaSets its selector matches, then lets a {@link DeploymentSync} take the next step of the
 * rollout (RollingUpdate or Recreate), scale proportionally on a resize or while paused, prune old
 * ReplicaSets beyond revisionHistoryLimit, and write the status that {@code kubectl rollout status}
 * reads.
 */
public final class DeploymentReconciler implements Reconciler {

  public static final GroupKind DEPLOYMENT = new GroupKind("apps", "Deployment");
  public static final String COMPONENT = "deployment-controller";

  private final Projection projection;
  private final Clock clock;
  private final Claimer claimer;
  private final DeploymentWrites writes;

  DeploymentReconciler(ControlContext context) {
    this.projection = context.projection();
    this.clock = context.clock();
    this.claimer = new Claimer(context.writerAs(COMPONENT));
    this.writes = new DeploymentWrites(context.writerAs(COMPONENT), context.events(COMPONENT));
  }

  public static Controller controller(ControlContext context) {
    DeploymentReconciler reconciler = new DeploymentReconciler(context);
    return Controller.builder("deployment", DEPLOYMENT, reconciler)
        .watchOwned(ReplicaSetReconciler.REPLICA_SET)
        .watch(ReplicaSetReconciler.REPLICA_SET, reconciler::adopters)
        .watch(ReplicaSetReconciler.POD, reconciler::podGone)
        .build();
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    Optional<StoredObject> stored = projection.get(key);
    if (stored.isEmpty()) {
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    ObjectNode deployment = stored.get().object();
    JsonNode selectorSpec = deployment.path("spec").path("selector");
    if (selectorSpec.isEmpty()) {
      return selectingAll(deployment);
    }
    LabelSelector selector;
    try {
      selector = LabelSelector.fromSpec(selectorSpec);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new Outcome.Failed(e, true));
    }
    List<JsonNode> sets = new ArrayList<>();
    for (StoredObject rs :
        projection.list(ListQuery.in(ReplicaSetReconciler.REPLICA_SET, key.namespace())).items()) {
      sets.add(rs.object());
    }
    return claimer
        .claim(deployment, Claims.of(deployment, selector, sets))
        .thenCompose(
            owned -> {
              List<ReplicaSetView> views = owned.stream().map(ReplicaSetView::of).toList();
              return new DeploymentSync(
                      writes, deployment, views, pods(key.namespace(), views), clock.instant())
                  .run();
            });
  }

  /** Upstream refuses to act on a deployment whose selector is empty (it would select all). */
  private CompletableFuture<Outcome> selectingAll(ObjectNode deployment) {
    writes.event(
        deployment,
        "Warning",
        "SelectingAll",
        "This deployment is selecting all pods. A non-empty selector is required.");
    long generation = Meta.generation(deployment);
    if (deployment.path("status").path("observedGeneration").asLong(0) >= generation) {
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    ObjectNode status =
        deployment.path("status").isObject()
            ? ((ObjectNode) deployment.get("status")).deepCopy()
            : Json.object();
    status.put("observedGeneration", generation);
    return writes.deployment(deployment, null, status).thenApply(v -> Outcome.DONE);
  }

  /** The pods controlled by the deployment's ReplicaSets. */
  private List<JsonNode> pods(String namespace, List<ReplicaSetView> sets) {
    Set<String> uids = new HashSet<>();
    sets.forEach(rs -> uids.add(rs.uid()));
    List<JsonNode> pods = new ArrayList<>();
    for (StoredObject pod :
        projection.list(ListQuery.in(ReplicaSetReconciler.POD, namespace)).items()) {
      JsonNode object = pod.object();
      if (uids.contains(Owners.controllerUid(object))) {
        pods.add(object);
      }
    }
    return pods;
  }

  /** An orphan ReplicaSet queues the deployments whose selector matches it (they may adopt it). */
  Collection<ResourceKey> adopters(WatchEvent event) {
    JsonNode rs = event.object().object();
    if (event.type() == WatchEvent.Type.DELETED || Owners.controllerOf(rs).isPresent()) {
      return List.of();
    }
    List<ResourceKey> keys = new ArrayList<>();
    for (StoredObject stored :
        projection.list(ListQuery.in(DEPLOYMENT, Meta.namespace(rs))).items()) {
      try {
        LabelSelector selector =
            LabelSelector.fromSpec(stored.object().path("spec").path("selector"));
        if (!selector.isEverything() && selector.matches(Meta.labels(rs))) {
          keys.add(stored.key());
        }
      } catch (IllegalArgumentException e) {
        // a selector that cannot be read selects nothing
      }
    }
    return keys;
  }

  /**
   * A pod gone queues the deployment of its ReplicaSet: a Recreate rollout waits for the last old
   * pod to go, which changes no ReplicaSet.
   */
  Collection<ResourceKey> podGone(WatchEvent event) {
    if (event.type() != WatchEvent.Type.DELETED) {
      return List.of();
    }
    JsonNode pod = event.object().object();
    Optional<JsonNode> owner = Owners.controllerOf(pod);
    if (owner.isEmpty() || !"ReplicaSet".equals(owner.get().path("kind").asText())) {
      return List.of();
    }
    ResourceKey rsKey =
        DeploymentWrites.key(Meta.namespace(pod), owner.get().path("name").asText());
    return projection
        .get(rsKey)
        .flatMap(rs -> Owners.controllerOf(rs.object()))
        .filter(ref -> "Deployment".equals(ref.path("kind").asText()))
        .map(
            ref ->
                List.of(
                    ResourceKey.of(
                        DEPLOYMENT.group(),
                        DEPLOYMENT.kind(),
                        Meta.namespace(pod),
                        ref.path("name").asText())))
        .orElse(List.of());
  }
}
