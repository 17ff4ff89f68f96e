package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.reconcilers.replicaset.Owners;
import dev.keelson.reconcilers.replicaset.PodStates;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The Recreate strategy's wait: no new pod before every old one is gone. */
public final class Recreate {

  private Recreate() {}

  /**
   * Upstream's oldPodsRunning: an old ReplicaSet still counts pods, or a pod of an old ReplicaSet
   * is not finished (one being deleted still runs until it is gone).
   */
  public static boolean oldPodsRunning(
      ReplicaSetView newRS, List<ReplicaSetView> oldRSs, List<JsonNode> pods) {
    if (RolloutMath.statusReplicas(oldRSs) > 0) {
      return true;
    }
    Set<String> oldUids = new HashSet<>();
    for (ReplicaSetView rs : oldRSs) {
      oldUids.add(rs.uid());
    }
    for (JsonNode pod : pods) {
      String owner = Owners.controllerUid(pod);
      if (newRS != null && newRS.uid().equals(owner) || !oldUids.contains(owner)) {
        continue;
      }
      String phase = PodStates.phase(pod);
      if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
        return true;
      }
    }
    return false;
  }
}
