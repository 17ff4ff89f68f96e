package dev.keelson.reconcilers.deployment;

import java.util.Collection;
import java.util.List;

/** Upstream's deployment util arithmetic over replica counts. */
public final class RolloutMath {

  private RolloutMath() {}

  /**
   * Upstream's ResolveFenceposts: {surge, unavailable} for {@code desired} replicas, surge rounded
   * up and unavailable rounded down; when both come to 0, unavailable is 1 (so a rollout can move).
   */
  public static int[] resolveFenceposts(
      IntOrPercent maxSurge, IntOrPercent maxUnavailable, int desired) {
    int surge = maxSurge.scaled(desired, true);
    int unavailable = maxUnavailable.scaled(desired, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new int[] {surge, unavailable};
  }

  public static int specReplicas(Collection<ReplicaSetView> sets) {
    return sets.stream().mapToInt(ReplicaSetView::replicas).sum();
  }

  public static int statusReplicas(Collection<ReplicaSetView> sets) {
    return sets.stream().mapToInt(ReplicaSetView::statusReplicas).sum();
  }

  public static int readyReplicas(Collection<ReplicaSetView> sets) {
    return sets.stream().mapToInt(ReplicaSetView::readyReplicas).sum();
  }

  public static int availableReplicas(Collection<ReplicaSetView> sets) {
    return sets.stream().mapToInt(ReplicaSetView::availableReplicas).sum();
  }

  /** Replica sets that have (or should have) pods. */
  public static List<ReplicaSetView> active(Collection<ReplicaSetView> sets) {
    return sets.stream().filter(rs -> rs.replicas() > 0).toList();
  }

  /**
   * Upstream's NewRSNewReplicas: how big the new ReplicaSet may be now. Rolling: up to replicas +
   * maxSurge pods in all, never beyond the deployment's replicas; Recreate: all of them.
   */
  public static int newReplicaSetReplicas(
      DeploymentView d, Collection<ReplicaSetView> all, ReplicaSetView newRS) {
    if (!d.rollingUpdate()) {
      return d.replicas();
    }
    int maxSurge = d.maxSurge().scaled(d.replicas(), true);
    int current = specReplicas(all);
    int maxTotal = d.replicas() + maxSurge;
    if (current >= maxTotal) {
      return newRS.replicas();
    }
    int scaleUp = Math.min(maxTotal - current, d.replicas() - newRS.replicas());
    return newRS.replicas() + scaleUp;
  }

  /**
   * Upstream's IsSaturated: the new ReplicaSet has all the deployment's replicas, believes so
   * (desired-replicas annotation), and they are all available.
   */
  public static boolean saturated(DeploymentView d, ReplicaSetView rs) {
    if (rs == null) {
      return false;
    }
    Integer desired = rs.intAnnotation(ReplicaSetView.DESIRED_REPLICAS);
    return desired != null
        && rs.replicas() == d.replicas()
        && desired == d.replicas()
        && rs.availableReplicas() == d.replicas();
  }

  /** Upstream's DeploymentComplete, over a status's counts. */
  public static boolean complete(
      DeploymentView d, int updated, int replicas, int available, long observedGeneration) {
    return updated == d.replicas()
        && replicas == d.replicas()
        && available == d.replicas()
        && observedGeneration >= d.generation();
  }
}
