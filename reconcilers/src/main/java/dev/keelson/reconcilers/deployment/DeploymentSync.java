package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.reconcilers.control.Outcome;
import dev.keelson.reconcilers.replicaset.ReplicaSetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One sync of one deployment, as upstream's syncDeployment after the claims: a paused deployment or
 * a resize is scaled proportionally; otherwise the rollout moves one step by its strategy, and the
 * status follows. Holds the deployment as last written and its ReplicaSets as last seen; the
 * decisions are the pure functions of {@link RollingUpdate}, {@link ProportionalScaling}, {@link
 * Revisions} and {@link DeploymentStatus}.
 */
final class DeploymentSync {

  /** The new ReplicaSet (null when there is none yet) and the others. */
  record Sets(ReplicaSetView newRS, List<ReplicaSetView> old) {
    List<ReplicaSetView> all() {
      List<ReplicaSetView> all = new ArrayList<>(old);
      if (newRS != null) {
        all.add(newRS);
      }
      return all;
    }
  }

  private final DeploymentWrites writes;
  private final Instant now;
  private final List<ReplicaSetView> replicaSets; // as last seen or written
  private final List<JsonNode> pods;
  private ObjectNode deployment;

  /**
   * @param replicaSets the ReplicaSets the deployment controls (after adoption and release)
   * @param pods the pods of those ReplicaSets (Recreate waits until the old ones are gone)
   */
  DeploymentSync(
      DeploymentWrites writes,
      ObjectNode deployment,
      List<ReplicaSetView> replicaSets,
      List<JsonNode> pods,
      Instant now) {
    this.writes = writes;
    this.deployment = deployment;
    this.replicaSets = new ArrayList<>(replicaSets);
    this.pods = List.copyOf(pods);
    this.now = now;
  }

  private DeploymentView d() {
    return DeploymentView.of(deployment);
  }

  private JsonNode status() {
    return deployment.path("status");
  }

  CompletableFuture<Outcome> run() {
    DeploymentView d = d();
    if (d.deleting()) {
      return syncRevision(false).thenCompose(sets -> syncStatus(sets));
    }
    return checkPausedConditions()
        .thenCompose(
            v -> {
              if (d.paused()) {
                return sync();
              }
              return syncRevision(false)
                  .thenCompose(
                      sets -> {
                        if (scalingEvent(d, sets)) {
                          return sync();
                        }
                        return d.rollingUpdate() ? rolloutRolling() : rolloutRecreate();
                      });
            });
  }

  /** Upstream's isScalingEvent: an active ReplicaSet was sized for another replica count. */
  static boolean scalingEvent(DeploymentView d, Sets sets) {
    for (ReplicaSetView rs : RolloutMath.active(sets.all())) {
      Integer desired = rs.intAnnotation(ReplicaSetView.DESIRED_REPLICAS);
      if (desired != null && desired != d.replicas()) {
        return true;
      }
    }
    return false;
  }

  /** Upstream's sync: proportional scaling, history cleanup while paused, and the status. */
  private CompletableFuture<Outcome> sync() {
    return syncRevision(false)
        .thenCompose(
            sets ->
                apply(ProportionalScaling.scale(d(), sets.newRS(), sets.old()), sets)
                    .thenCompose(
                        scaled ->
                            (d().paused() ? cleanup(scaled.old()) : done())
                                .thenCompose(v -> syncStatus(scaled))));
  }

  private CompletableFuture<Outcome> rolloutRolling() {
    return syncRevision(true)
        .thenCompose(
            sets -> {
              DeploymentView d = d();
              Optional<Scale> up =
                  RollingUpdate.reconcileNewReplicaSet(d, sets.all(), sets.newRS());
              if (up.isPresent()) {
                return apply(List.of(up.get()), sets).thenCompose(this::syncRolloutStatus);
              }
              if (!statusesCurrent(sets)) {
                // An old ReplicaSet's availability is the last word on how far we may scale down;
                // a ReplicaSet that has not yet acted on its last resize reports pods it is about
                // to delete. Its status update queues this deployment again.
                return syncRolloutStatus(sets);
              }
              List<Scale> down =
                  RollingUpdate.reconcileOldReplicaSets(
                      d, sets.all(), RolloutMath.active(sets.old()), sets.newRS());
              if (down.stream().anyMatch(Scale::resizes)) {
                return apply(down, sets).thenCompose(this::syncRolloutStatus);
              }
              CompletableFuture<Void> cleanup =
                  DeploymentStatus.complete(d, status()) ? cleanup(sets.old()) : done();
              return cleanup.thenCompose(v -> syncRolloutStatus(sets));
            });
  }

  private CompletableFuture<Outcome> rolloutRecreate() {
    return syncRevision(false)
        .thenCompose(
            sets -> {
              List<Scale> down = new ArrayList<>();
              for (ReplicaSetView old : RolloutMath.active(sets.old())) {
                down.add(Scale.to(old, 0));
              }
              if (!down.isEmpty()) {
                return apply(down, sets).thenCompose(this::syncRolloutStatus);
              }
              if (Recreate.oldPodsRunning(sets.newRS(), sets.old(), pods)) {
                return syncRolloutStatus(sets);
              }
              CompletableFuture<Sets> withNew =
                  sets.newRS() == null
                      ? syncRevision(true)
                      : CompletableFuture.completedFuture(sets);
              return withNew.thenCompose(
                  current ->
                      apply(List.of(Scale.to(current.newRS(), d().replicas())), current)
                          .thenCompose(
                              scaled ->
                                  (DeploymentStatus.complete(d(), status())
                                          ? cleanup(scaled.old())
                                          : done())
                                      .thenCompose(v -> syncRolloutStatus(scaled))));
            });
  }

  /** Whether every ReplicaSet's status describes its current spec. */
  private static boolean statusesCurrent(Sets sets) {
    return sets.all().stream().allMatch(rs -> rs.observedGeneration() >= rs.generation());
  }

  /** Applies scales one after the other; completes with the sets as they are after. */
  private CompletableFuture<Sets> apply(List<Scale> scales, Sets sets) {
    CompletableFuture<Sets> chain = CompletableFuture.completedFuture(sets);
    for (Scale scale : scales) {
      chain =
          chain.thenCompose(
              current ->
                  writes
                      .scale(deployment, d(), scale)
                      .thenApply(after -> replace(current, remember(after))));
    }
    return chain;
  }

  private static Sets replace(Sets sets, ReplicaSetView after) {
    ReplicaSetView newRS =
        sets.newRS() != null && sets.newRS().name().equals(after.name()) ? after : sets.newRS();
    List<ReplicaSetView> old =
        sets.old().stream().map(rs -> rs.name().equals(after.name()) ? after : rs).toList();
    return new Sets(newRS, old);
  }

  /**
   * Upstream's getAllReplicaSetsAndSyncRevision: finds the new ReplicaSet (the oldest with the
   * deployment's template), brings its annotations up to date and copies its revision to the
   * deployment; creates it when asked and missing.
   */
  private CompletableFuture<Sets> syncRevision(boolean create) {
    DeploymentView d = d();
    JsonNode template = deployment.path("spec").path("template");
    ReplicaSetView existing =
        replicaSets.stream()
            .sorted(ReplicaSetView.BY_CREATION)
            .filter(rs -> Templates.equalIgnoreHash(rs.template(), template))
            .findFirst()
            .orElse(null);
    List<ReplicaSetView> old = replicaSets.stream().filter(rs -> rs != existing).toList();
    long newRevision = Revisions.maxRevision(old) + 1;
    if (existing != null) {
      return syncExisting(d, existing, old, newRevision);
    }
    if (!create) {
      return CompletableFuture.completedFuture(new Sets(null, old));
    }
    return NewReplicaSet.create(this, d, old, newRevision);
  }

  private CompletableFuture<Sets> syncExisting(
      DeploymentView d, ReplicaSetView existing, List<ReplicaSetView> old, long newRevision) {
    Map<String, String> annotations =
        Revisions.newReplicaSetAnnotations(d, existing.annotations(), newRevision, true);
    if (!annotations.equals(existing.annotations())
        || existing.minReadySeconds() != d.minReadySeconds()) {
      return writes
          .annotate(Meta.namespace(deployment), existing, annotations, d.minReadySeconds())
          .thenApply(updated -> new Sets(remember(updated), old));
    }
    String revision = existing.annotations().get(ReplicaSetView.REVISION);
    boolean revisionStale =
        revision != null && !revision.equals(d.annotations().get(ReplicaSetView.REVISION));
    ObjectNode status = status().isObject() ? ((ObjectNode) status()).deepCopy() : Json.object();
    boolean conditionAdded = false;
    if (d.progressDeadlineSeconds() != null
        && DeploymentConditions.get(status, DeploymentConditions.PROGRESSING) == null) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.condition(
              DeploymentConditions.PROGRESSING,
              "True",
              DeploymentConditions.FOUND_NEW_RS,
              "Found new replica set \"" + existing.name() + "\"",
              DeploymentStatus.time(now)));
      conditionAdded = true;
    }
    if (!revisionStale && !conditionAdded) {
      return CompletableFuture.completedFuture(new Sets(existing, old));
    }
    return writeDeployment(revisionStale ? revision : null, status)
        .thenApply(v -> new Sets(existing, old));
  }

  /** Writes the deployment (revision annotation, status) and keeps what was written. */
  CompletableFuture<Void> writeDeployment(String revision, ObjectNode status) {
    return writes
        .deployment(deployment, revision, status)
        .thenAccept(written -> deployment = written);
  }

  /** Upstream's cleanupDeployment: old ReplicaSets beyond the revision history limit go. */
  private CompletableFuture<Void> cleanup(List<ReplicaSetView> old) {
    CompletableFuture<Void> chain = done();
    for (ReplicaSetView rs : Revisions.toDelete(old, d().revisionHistoryLimit())) {
      chain = chain.thenCompose(v -> writes.delete(Meta.namespace(deployment), rs));
    }
    return chain;
  }

  /** Upstream's checkPausedConditions: Progressing is Unknown while paused, then resumed. */
  private CompletableFuture<Void> checkPausedConditions() {
    DeploymentView d = d();
    if (d.progressDeadlineSeconds() == null) {
      return done();
    }
    String reason = DeploymentConditions.reason(status(), DeploymentConditions.PROGRESSING);
    if (DeploymentConditions.TIMED_OUT.equals(reason)) {
      return done();
    }
    boolean pausedCondition = DeploymentConditions.PAUSED.equals(reason);
    ObjectNode status = status().isObject() ? ((ObjectNode) status()).deepCopy() : Json.object();
    if (d.paused() && !pausedCondition) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.condition(
              DeploymentConditions.PROGRESSING,
              "Unknown",
              DeploymentConditions.PAUSED,
              "Deployment is paused",
              DeploymentStatus.time(now)));
    } else if (!d.paused() && pausedCondition) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.condition(
              DeploymentConditions.PROGRESSING,
              "Unknown",
              DeploymentConditions.RESUMED,
              "Deployment is resumed",
              DeploymentStatus.time(now)));
    } else {
      return done();
    }
    return writeDeployment(null, status);
  }

  /** Upstream's syncDeploymentStatus: counts and availability, no progress estimate. */
  private CompletableFuture<Outcome> syncStatus(Sets sets) {
    ObjectNode status = DeploymentStatus.calculate(d(), status(), sets.all(), sets.newRS(), now);
    if (ReplicaSetStatus.sameJson(status, status())) {
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    return writeDeployment(null, status).thenApply(v -> Outcome.DONE);
  }

  /** Upstream's syncRolloutStatus, and its requeue of a rollout that may be stuck. */
  private CompletableFuture<Outcome> syncRolloutStatus(Sets sets) {
    DeploymentView d = d();
    ObjectNode status = DeploymentStatus.rollout(d, status(), sets.all(), sets.newRS(), now);
    if (ReplicaSetStatus.sameJson(status, status())) {
      return CompletableFuture.completedFuture(
          DeploymentStatus.recheckAfter(d, status(), status, now)
              .<Outcome>map(Outcome.RequeueAfter::new)
              .orElse(Outcome.DONE));
    }
    return writeDeployment(null, status).thenApply(v -> Outcome.DONE);
  }

  ObjectNode deployment() {
    return deployment;
  }

  /** Keeps {@code rs} as the latest state of that ReplicaSet (a new one joins the list). */
  ReplicaSetView remember(ReplicaSetView rs) {
    replicaSets.removeIf(r -> r.name().equals(rs.name()));
    replicaSets.add(rs);
    return rs;
  }

  DeploymentWrites writes() {
    return writes;
  }

  Instant now() {
    return now;
  }

  static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
  }
}
