package dev.keelson.reconcilers.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Revisions of a deployment's ReplicaSets (the deployment.kubernetes.io/revision annotation) and
 * what the deployment copies to them, as upstream's deployment util does; and which old ReplicaSets
 * the revision history limit removes.
 */
public final class Revisions {

  /** Deployment annotations not copied to its ReplicaSets (nor back on a rollback). */
  public static final Set<String> NOT_COPIED =
      Set.of(
          "kubectl.kubernetes.io/last-applied-configuration",
          ReplicaSetView.REVISION,
          ReplicaSetView.REVISION_HISTORY,
          ReplicaSetView.DESIRED_REPLICAS,
          ReplicaSetView.MAX_REPLICAS,
          "deprecated.deployment.rollback.to");

  /** Upstream keeps the revision-history annotation under 2000 characters. */
  static final int MAX_HISTORY_CHARS = 2000;

  private Revisions() {}

  /** The highest revision among {@code sets} (unreadable revisions are skipped). */
  public static long maxRevision(List<ReplicaSetView> sets) {
    long max = 0;
    for (ReplicaSetView rs : sets) {
      OptionalLong v = rs.revision();
      if (v.isPresent() && v.getAsLong() > max) {
        max = v.getAsLong();
      }
    }
    return max;
  }

  /**
   * Upstream's SetNewReplicaSetAnnotations: the new ReplicaSet's annotations given the
   * deployment's: the deployment's own (but {@link #NOT_COPIED}), the revision raised to {@code
   * newRevision} (an earlier revision it had goes to revision-history: a rollback), and for a
   * ReplicaSet about to be created the desired-replicas and max-replicas.
   */
  public static Map<String, String> newReplicaSetAnnotations(
      DeploymentView d, Map<String, String> current, long newRevision, boolean exists) {
    Map<String, String> annotations = new LinkedHashMap<>(current);
    d.annotations()
        .forEach(
            (k, v) -> {
              if (!NOT_COPIED.contains(k)) {
                annotations.put(k, v);
              }
            });
    String oldRevision = annotations.get(ReplicaSetView.REVISION);
    long oldValue;
    try {
      oldValue = oldRevision == null ? 0 : Long.parseLong(oldRevision);
    } catch (NumberFormatException e) {
      return annotations;
    }
    if (oldValue < newRevision) {
      annotations.put(ReplicaSetView.REVISION, Long.toString(newRevision));
      if (oldRevision != null) {
        annotations.put(
            ReplicaSetView.REVISION_HISTORY,
            appendHistory(annotations.get(ReplicaSetView.REVISION_HISTORY), oldRevision));
      }
    }
    if (!exists) {
      annotations.putAll(replicasAnnotations(d));
    }
    return annotations;
  }

  private static String appendHistory(String history, String revision) {
    if (history == null || history.isEmpty()) {
      return revision;
    }
    List<String> old = new ArrayList<>(List.of(history.split(",")));
    int total = history.length() + revision.length() + 1;
    while (total > MAX_HISTORY_CHARS && !old.isEmpty()) {
      total -= old.remove(0).length() + 1;
    }
    if (total > MAX_HISTORY_CHARS) {
      return history;
    }
    old.add(revision);
    return String.join(",", old);
  }

  /** The desired-replicas and max-replicas annotations for the deployment's current size. */
  public static Map<String, String> replicasAnnotations(DeploymentView d) {
    return Map.of(
        ReplicaSetView.DESIRED_REPLICAS,
        Integer.toString(d.replicas()),
        ReplicaSetView.MAX_REPLICAS,
        Integer.toString(d.replicas() + d.maxSurgeCount()));
  }

  /**
   * Upstream's cleanupDeployment: beyond the revision history limit, the old ReplicaSets of the
   * lowest revisions go, as long as they have no replicas and their status is current.
   */
  public static List<ReplicaSetView> toDelete(List<ReplicaSetView> oldRSs, Integer limit) {
    if (limit == null) {
      return List.of();
    }
    List<ReplicaSetView> alive =
        new ArrayList<>(oldRSs.stream().filter(rs -> !rs.deleting()).toList());
    int diff = alive.size() - limit;
    if (diff <= 0) {
      return List.of();
    }
    alive.sort(BY_REVISION);
    List<ReplicaSetView> doomed = new ArrayList<>();
    for (int i = 0; i < diff; i++) {
      ReplicaSetView rs = alive.get(i);
      if (rs.statusReplicas() != 0
          || rs.replicas() != 0
          || rs.generation() > rs.observedGeneration()
          || rs.deleting()) {
        continue;
      }
      doomed.add(rs);
    }
    return doomed;
  }

  /** Lowest revision first; ties (or unreadable revisions) by creation (ReplicaSetsByRevision). */
  static final Comparator<ReplicaSetView> BY_REVISION =
      (a, b) -> {
        OptionalLong ra = a.revision();
        OptionalLong rb = b.revision();
        if (ra.isEmpty() || rb.isEmpty() || ra.getAsLong() == rb.getAsLong()) {
          return ReplicaSetView.BY_CREATION.compare(a, b);
        }
        return Long.compare(ra.getAsLong(), rb.getAsLong());
      };
}
