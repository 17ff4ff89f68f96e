package dev.keelson.reconcilers.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's scale step (sync.go): when a deployment is resized in the middle of a rollout, or
 * while it is paused, the difference is spread over the active ReplicaSets in proportion to their
 * sizes, so that scaling neither speeds up nor reverses the rollout.
 */
public final class ProportionalScaling {

  private ProportionalScaling() {}

  /** The scales that resize the deployment's ReplicaSets to its replicas. */
  public static List<Scale> scale(
      DeploymentView d, ReplicaSetView newRS, List<ReplicaSetView> oldRSs) {
    ReplicaSetView activeOrLatest = activeOrLatest(newRS, oldRSs);
    if (activeOrLatest != null) {
      return activeOrLatest.replicas() == d.replicas()
          ? List.of()
          : List.of(Scale.to(activeOrLatest, d.replicas()));
    }
    if (RolloutMath.saturated(d, newRS)) {
      List<Scale> scales = new ArrayList<>();
      for (ReplicaSetView old : RolloutMath.active(oldRSs)) {
        scales.add(Scale.to(old, 0));
      }
      return scales;
    }
    if (!d.rollingUpdate()) {
      return List.of();
    }
    List<ReplicaSetView> all = new ArrayList<>(oldRSs);
    if (newRS != null) {
      all.add(newRS);
    }
    all = new ArrayList<>(RolloutMath.active(all));
    int allowed = d.replicas() > 0 ? d.replicas() + d.maxSurgeCount() : 0;
    int toAdd = allowed - RolloutMath.specReplicas(all);
    if (toAdd > 0) {
      all.sort(BY_SIZE_NEWER);
    } else if (toAdd < 0) {
      all.sort(BY_SIZE_OLDER);
    }
    int added = 0;
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (ReplicaSetView rs : all) {
      if (toAdd != 0) {
        int proportion = proportion(rs, d, toAdd, added);
        sizes.put(rs.name(), rs.replicas() + proportion);
        added += proportion;
      } else {
        sizes.put(rs.name(), rs.replicas());
      }
    }
    List<Scale> scales = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      ReplicaSetView rs = all.get(i);
      int size = sizes.get(rs.name());
      if (i == 0 && toAdd != 0) {
        // the leftover of the rounding goes to the largest
        size = Math.max(0, size + toAdd - added);
      }
      scales.add(new Scale(rs, size, true));
    }
    return scales;
  }

  /**
   * Upstream's FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active;
   * null when several are active.
   */
  static ReplicaSetView activeOrLatest(ReplicaSetView newRS, List<ReplicaSetView> oldRSs) {
    if (newRS == null && oldRSs.isEmpty()) {
      return null;
    }
    List<ReplicaSetView> newestFirst = new ArrayList<>(oldRSs);
    newestFirst.sort(ReplicaSetView.BY_CREATION.reversed());
    List<ReplicaSetView> all = new ArrayList<>(newestFirst);
    if (newRS != null) {
      all.add(newRS);
    }
    List<ReplicaSetView> active = RolloutMath.active(all);
    if (active.isEmpty()) {
      return newRS != null ? newRS : newestFirst.get(0);
    }
    return active.size() == 1 ? active.get(0) : null;
  }

  /** Upstream's GetProportion: this ReplicaSet's share of {@code toAdd}, within what is left. */
  static int proportion(ReplicaSetView rs, DeploymentView d, int toAdd, int added) {
    if (rs.replicas() == 0 || toAdd == 0 || toAdd == added) {
      return 0;
    }
    int fraction = fraction(rs, d);
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  /**
   * Upstream's getReplicaSetFraction: the size this ReplicaSet would have if the deployment's
   * current size relates to its max-replicas annotation as its own size does, less its size.
   */
  static int fraction(ReplicaSetView rs, DeploymentView d) {
    if (d.replicas() == 0) {
      return -rs.replicas();
    }
    int deploymentReplicas = d.replicas() + d.maxSurgeCount();
    Integer annotated = rs.intAnnotation(ReplicaSetView.MAX_REPLICAS);
    int base = annotated != null ? annotated : d.statusReplicas();
    if (base <= 0) {
      // upstream never scales proportionally from zero; its float division would be undefined
      return 0;
    }
    double size = (double) rs.replicas() * deploymentReplicas / base;
    return (int) Math.floor(size + 0.5) - rs.replicas();
  }

  /** Larger first; among equals the newer first (upstream's ReplicaSetsBySizeNewer). */
  static final Comparator<ReplicaSetView> BY_SIZE_NEWER =
      Comparator.comparingInt(ReplicaSetView::replicas)
          .reversed()
          .thenComparing(ReplicaSetView.BY_CREATION.reversed());

  /** Larger first; among equals the older first (upstream's ReplicaSetsBySizeOlder). */
  static final Comparator<ReplicaSetView> BY_SIZE_OLDER =
      Comparator.comparingInt(ReplicaSetView::replicas)
          .reversed()
          .thenComparing(ReplicaSetView.BY_CREATION);
}
