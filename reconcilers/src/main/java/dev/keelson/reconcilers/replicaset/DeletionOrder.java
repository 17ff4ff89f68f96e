package dev.keelson.reconcilers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Meta;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pods a ReplicaSet deletes first when it has too many: upstream's ActivePodsWithRanks order
 * (with the PodDeletionCost and LogarithmicScaleDown features on, as they are by default). Pods
 * earlier in the order are deleted first:
 *
 * <ol>
 *   <li>unassigned before assigned to a node;
 *   <li>Pending before Unknown before Running;
 *   <li>not ready before ready;
 *   <li>lower controller.kubernetes.io/pod-deletion-cost first;
 *   <li>more active related pods on the same node first (doubled-up pods);
 *   <li>of two ready pods, the more recently ready first (on a log2 scale of how long ago);
 *   <li>more container restarts first;
 *   <li>newer first (on a log2 scale of age); pods of the same scale by uid.
 * </ol>
 */
public final class DeletionOrder {

  public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

  private DeletionOrder() {}

  /**
   * The {@code count} pods of {@code pods} to delete; {@code related} are the pods of every
   * ReplicaSet with the same controller (for the doubled-up rank).
   */
  public static List<JsonNode> podsToDelete(
      List<JsonNode> pods, List<JsonNode> related, int count, Instant now) {
    if (count >= pods.size()) {
      return List.copyOf(pods);
    }
    List<JsonNode> sorted = new ArrayList<>(pods);
    sorted.sort(comparator(related, now));
    return List.copyOf(sorted.subList(0, count));
  }

  /** The order itself: smaller means deleted sooner. */
  public static Comparator<JsonNode> comparator(List<JsonNode> related, Instant now) {
    Map<String, Integer> activeOnNode = new HashMap<>();
    for (JsonNode pod : related) {
      if (PodStates.active(pod)) {
        activeOnNode.merge(PodStates.nodeName(pod), 1, Integer::sum);
      }
    }
    return (a, b) -> compare(a, b, activeOnNode, now);
  }

  private static int compare(JsonNode a, JsonNode b, Map<String, Integer> onNode, Instant now) {
    String nodeA = PodStates.nodeName(a);
    String nodeB = PodStates.nodeName(b);
    if (!nodeA.equals(nodeB) && (nodeA.isEmpty() || nodeB.isEmpty())) {
      return nodeA.isEmpty() ? -1 : 1;
    }
    int phase = Integer.compare(phaseOrdinal(a), phaseOrdinal(b));
    if (phase != 0) {
      return phase;
    }
    boolean readyA = PodStates.ready(a);
    boolean readyB = PodStates.ready(b);
    if (readyA != readyB) {
      return readyA ? 1 : -1;
    }
    int cost = Integer.compare(deletionCost(a), deletionCost(b));
    if (cost != 0) {
      return cost;
    }
    int rank = Integer.compare(onNode.getOrDefault(nodeB, 0), onNode.getOrDefault(nodeA, 0));
    if (rank != 0) {
      return rank;
    }
    if (readyA) {
      int since = newerFirst(PodStates.readySince(a), PodStates.readySince(b), a, b, now);
      if (since != 0) {
        return since;
      }
    }
    int restarts = Integer.compare(PodStates.maxRestarts(b), PodStates.maxRestarts(a));
    if (restarts != 0) {
      return restarts;
    }
    return newerFirst(PodStates.created(a), PodStates.created(b), a, b, now);
  }

  /** Pending 0, Unknown 1, Running 2; any other phase (none) 0, as upstream's map lookup. */
  private static int phaseOrdinal(JsonNode pod) {
    return switch (PodStates.phase(pod)) {
      case "Unknown" -> 1;
      case "Running" -> 2;
      default -> 0;
    };
  }

  static int deletionCost(JsonNode pod) {
    String text = pod.path("metadata").path("annotations").path(DELETION_COST).asText("");
    try {
      return text.isEmpty() ? 0 : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Upstream's afterOrZero and logarithmicRankDiff: a missing time sorts first, then times on a
   * log2 scale of how long before {@code now} they are, newer first; equal scales go by uid.
   */
  private static int newerFirst(Instant t1, Instant t2, JsonNode a, JsonNode b, Instant now) {
    if (t1 == null && t2 == null || t1 != null && t1.equals(t2)) {
      return 0;
    }
    if (t1 == null || t2 == null) {
      return t1 == null ? -1 : 1;
    }
    long rank1 = logRank(Duration.between(t1, now));
    long rank2 = logRank(Duration.between(t2, now));
    if (rank1 == rank2) {
      return Meta.uid(a).compareTo(Meta.uid(b));
    }
    return Long.compare(rank1, rank2);
  }

  private static long logRank(Duration ago) {
    long nanos = ago.toNanos();
    return nanos > 0 ? 63 - Long.numberOfLeadingZeros(nanos) : -1;
  }
}
