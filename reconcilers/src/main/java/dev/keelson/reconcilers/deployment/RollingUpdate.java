package dev.keelson.reconcilers.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Upstream's rolling update decisions (rolling.go), each a function of the deployment and its
 * ReplicaSets: scale the new ReplicaSet up as far as maxSurge allows, else scale old ones down as
 * far as maxUnavailable allows, unhealthy replicas first.
 */
public final class RollingUpdate {

  private RollingUpdate() {}

  /** Upstream's reconcileNewReplicaSet: the new ReplicaSet's next size, when it changes. */
  public static Optional<Scale> reconcileNewReplicaSet(
      DeploymentView d, List<ReplicaSetView> all, ReplicaSetView newRS) {
    if (newRS.replicas() == d.replicas()) {
      return Optional.empty();
    }
    if (newRS.replicas() > d.replicas()) {
      return Optional.of(Scale.to(newRS, d.replicas()));
    }
    int next = RolloutMath.newReplicaSetReplicas(d, all, newRS);
    return next == newRS.replicas() ? Optional.empty() : Optional.of(Scale.to(newRS, next));
  }

  /**
   * Upstream's reconcileOldReplicaSets: how far the active old ReplicaSets may shrink now, first by
   * their unavailable replicas (cleanupUnhealthyReplicas), then by what availability allows
   * (scaleDownOldReplicaSetsForRollingUpdate). Oldest ReplicaSets shrink first.
   */
  public static List<Scale> reconcileOldReplicaSets(
      DeploymentView d,
      List<ReplicaSetView> all,
      List<ReplicaSetView> oldRSs,
      ReplicaSetView newRS) {
    int oldPods = RolloutMath.specReplicas(oldRSs);
    if (oldPods == 0) {
      return List.of();
    }
    int allPods = RolloutMath.specReplicas(all);
    int minAvailable = d.replicas() - d.maxUnavailableCount();
    int newUnavailable = newRS.replicas() - newRS.availableReplicas();
    // Shrinking must not go below minAvailable counting the new pods that are not available yet,
    // or a roll-over with crash-looping new pods would scale the healthy old ones away.
    int maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return List.of();
    }
    List<ReplicaSetView> old = new ArrayList<>(oldRSs);
    old.sort(ReplicaSetView.BY_CREATION);
    Cleanup cleanup = cleanupUnhealthyReplicas(old, maxScaledDown);
    List<Scale> scales = new ArrayList<>(cleanup.scales());
    if (cleanup.stopped()) {
      return scales;
    }
    for (Scale s : scales) {
      old.replaceAll(rs -> rs.name().equals(s.rs().name()) ? rs.withReplicas(s.to()) : rs);
    }
    List<ReplicaSetView> after = new ArrayList<>(old);
    after.add(newRS);
    scales.addAll(scaleDownOldReplicaSets(d, after, old));
    return scales;
  }

  /**
   * What cleaning up unhealthy replicas decided; {@code stopped} when it met an old ReplicaSet that
   * reports more available replicas than it wants (its status is stale): upstream then scales down
   * nothing more in this sync.
   */
  record Cleanup(List<Scale> scales, boolean stopped) {}

  /**
   * Upstream's cleanupUnhealthyReplicas: old ReplicaSets (oldest first) lose their unavailable
   * replicas, at most {@code maxCleanup} in all; that costs no availability.
   */
  static Cleanup cleanupUnhealthyReplicas(List<ReplicaSetView> oldest, int maxCleanup) {
    List<Scale> scales = new ArrayList<>();
    int total = 0;
    for (ReplicaSetView rs : oldest) {
      if (total >= maxCleanup) {
        break;
      }
      if (rs.replicas() == 0 || rs.replicas() == rs.availableReplicas()) {
        continue;
      }
      int count = Math.min(maxCleanup - total, rs.replicas() - rs.availableReplicas());
      if (count < 0) {
        return new Cleanup(scales, true);
      }
      scales.add(Scale.to(rs, rs.replicas() - count));
      total += count;
    }
    return new Cleanup(scales, false);
  }

  /**
   * Upstream's scaleDownOldReplicaSetsForRollingUpdate: old ReplicaSets (oldest first) shrink by as
   * many as are available beyond replicas - maxUnavailable.
   */
  static List<Scale> scaleDownOldReplicaSets(
      DeploymentView d, List<ReplicaSetView> all, List<ReplicaSetView> oldest) {
    int minAvailable = d.replicas() - d.maxUnavailableCount();
    int available = RolloutMath.availableReplicas(all);
    if (available <= minAvailable) {
      return List.of();
    }
    List<Scale> scales = new ArrayList<>();
    int total = 0;
    int wanted = available - minAvailable;
    for (ReplicaSetView rs : oldest) {
      if (total >= wanted) {
        break;
      }
      if (rs.replicas() == 0) {
        continue;
      }
      int count = Math.min(rs.replicas(), wanted - total);
      scales.add(Scale.to(rs, rs.replicas() - count));
      total += count;
    }
    return scales;
  }
}
