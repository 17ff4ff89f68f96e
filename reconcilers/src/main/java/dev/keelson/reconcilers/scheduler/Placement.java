package dev.keelson.reconcilers.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Picks a node for a pod, as upstream's scheduling cycle does: filter the nodes, from where the
 * last pod stopped, until enough fit (in a big cluster not all of them: upstream's adaptive
 * percentageOfNodesToScore); score those that fit; take the best, a tie broken at random. When none
 * fits, every node was looked at and the reasons make upstream's message.
 *
 * <p>Holds only the rotating start index; the cluster it is given is not changed.
 */
public final class Placement {

  /** What to do with the pod. */
  public sealed interface Decision {}

  /** Bind the pod to {@code node}. */
  public record Bind(NodeInfo node) implements Decision {}

  /** No node fits; {@code message} says why, as upstream's PodScheduled condition does. */
  public record Unschedulable(String message) implements Decision {}

  static final int MIN_FEASIBLE_NODES = 100;
  static final int MIN_FEASIBLE_PERCENTAGE = 5;
  static final String NAMED_NODES = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
  static final String NAMES_CONFLICT = "pod affinity terms conflict";

  static final int WEIGHT_FIT = 1;
  static final int WEIGHT_BALANCED = 1;
  static final int WEIGHT_TAINTS = 3;
  static final int WEIGHT_NODE_AFFINITY = 2;
  static final int WEIGHT_SPREAD = 2;

  private final Random random;
  private int nextStart;

  public Placement(Random random) {
    this.random = random;
  }

  /**
   * Decides where {@code pod} goes among {@code nodes} (every known node), {@code byName} finding
   * one by name, {@code affinity} prepared for the pod against them.
   */
  public Decision decide(
      PodInfo pod,
      List<NodeInfo> nodes,
      Function<String, NodeInfo> byName,
      InterPodAffinity affinity) {
    int all = nodes.size();
    if (all == 0) {
      return new Unschedulable(FitError.NO_NODES);
    }
    Map<String, int[]> reasons = new HashMap<>();
    List<NodeInfo> feasible;
    if (pod.nodeNames() != null) {
      if (pod.nodeNames().isEmpty()) {
        return new Unschedulable(FitError.preFilter(all, NAMES_CONFLICT));
      }
      List<NodeInfo> named = new ArrayList<>(pod.nodeNames().size());
      for (String name : pod.nodeNames()) {
        NodeInfo node = byName.apply(name);
        if (node != null && node.facts() != null) {
          named.add(node);
        }
      }
      feasible = filter(pod, named, 0, affinity, reasons);
      if (named.size() < all) {
        reasons.computeIfAbsent(NAMED_NODES, r -> new int[1])[0] += all - named.size();
      }
    } else {
      feasible = filter(pod, nodes, nextStart, affinity, reasons);
    }
    if (feasible.isEmpty()) {
      Map<String, Integer> counts = new HashMap<>();
      reasons.forEach((reason, n) -> counts.put(reason, n[0]));
      return new Unschedulable(FitError.message(all, counts));
    }
    return new Bind(best(pod, feasible));
  }

  /** The nodes, from {@code start} round, that fit, until enough do; reasons of the others. */
  private List<NodeInfo> filter(
      PodInfo pod,
      List<NodeInfo> nodes,
      int start,
      InterPodAffinity affinity,
      Map<String, int[]> reasons) {
    int n = nodes.size();
    int wanted = feasibleNodesToFind(n);
    List<NodeInfo> feasible = new ArrayList<>(Math.min(wanted, 64));
    int processed = 0;
    int from = start % Math.max(n, 1);
    while (processed < n && feasible.size() < wanted) {
      NodeInfo node = nodes.get((from + processed) % n);
      processed++;
      List<String> failed = Filters.run(pod, node, affinity);
      if (failed == null) {
        feasible.add(node);
      } else {
        for (int i = 0; i < failed.size(); i++) {
          int[] count = reasons.get(failed.get(i));
          if (count == null) {
            reasons.put(failed.get(i), new int[] {1});
          } else {
            count[0]++;
          }
        }
      }
    }
    if (nodes.size() > 0 && pod.nodeNames() == null) {
      nextStart = (from + processed) % n;
    }
    return feasible;
  }

  /**
   * How many feasible nodes are enough among {@code all}: every node up to 100; beyond, upstream's
   * adaptive share (50% less 1% per 125 nodes, at least 5%), at least 100.
   */
  public static int feasibleNodesToFind(int all) {
    if (all < MIN_FEASIBLE_NODES) {
      return all;
    }
    int percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - all / 125);
    return Math.max(MIN_FEASIBLE_NODES, (int) ((long) all * percentage / 100));
  }

  private NodeInfo best(PodInfo pod, List<NodeInfo> feasible) {
    int n = feasible.size();
    if (n == 1) {
      return feasible.get(0);
    }
    long[] total = new long[n];
    boolean balanced = !Scores.bestEffort(pod);
    for (int i = 0; i < n; i++) {
      NodeInfo node = feasible.get(i);
      total[i] = WEIGHT_FIT * Scores.leastAllocated(pod, node);
      if (balanced) {
        total[i] += WEIGHT_BALANCED * Scores.balancedAllocation(pod, node);
      }
    }
    long[] raw = new long[n];
    for (int i = 0; i < n; i++) {
      raw[i] = Scores.intolerablePreferNoSchedule(pod, feasible.get(i));
    }
    addNormalized(total, raw, n, true, WEIGHT_TAINTS);
    if (!pod.preferredNodeAffinity().isEmpty()) {
      for (int i = 0; i < n; i++) {
        raw[i] = Scores.preferredNodeAffinity(pod, feasible.get(i));
      }
      addNormalized(total, raw, n, false, WEIGHT_NODE_AFFINITY);
    }
    if (pod.owner() != null) {
      for (int i = 0; i < n; i++) {
        raw[i] = Scores.ownerPods(pod, feasible.get(i));
      }
      addNormalized(total, raw, n, true, WEIGHT_SPREAD);
    }
    return feasible.get(select(total, n));
  }

  private static void addNormalized(long[] total, long[] raw, int n, boolean reverse, int weight) {
    Scores.normalize(raw, n, reverse);
    for (int i = 0; i < n; i++) {
      total[i] += weight * raw[i];
    }
  }

  /** The index of the highest score; among equals each is as likely (reservoir sampling). */
  private int select(long[] total, int n) {
    int chosen = 0;
    int ties = 1;
    for (int i = 1; i < n; i++) {
      if (total[i] > total[chosen]) {
        chosen = i;
        ties = 1;
      } else if (total[i] == total[chosen]) {
        ties++;
        if (random.nextInt(ties) == 0) {
          chosen = i;
        }
      }
    }
    return chosen;
  }
}
