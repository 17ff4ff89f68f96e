package dev.keelson.reconcilers.scheduler;

import java.util.List;

/**
 * The scores of upstream's default profile that Keelson runs, as plain functions of a pod and a
 * node, each from 0 to {@link #MAX} (higher is better), and upstream's normalisation of the ones
 * that count something across the feasible nodes.
 */
public final class Scores {

  public static final long MAX = 100;

  private Scores() {}

  /**
   * NodeResourcesFit, LeastAllocated: the share of cpu and memory left free once the pod is there
   * (requests with upstream's defaults for containers that name none), cpu and memory weighing the
   * same.
   */
  public static long leastAllocated(PodInfo pod, NodeInfo node) {
    Resources allocatable = node.facts().allocatable();
    long sum = 0;
    long weights = 0;
    if (allocatable.milliCpu() > 0) {
      sum +=
          leastRequested(
              node.nonZeroCpu() + pod.requests().nonZeroMilliCpu(), allocatable.milliCpu());
      weights++;
    }
    if (allocatable.memory() > 0) {
      sum +=
          leastRequested(
              node.nonZeroMemory() + pod.requests().nonZeroMemory(), allocatable.memory());
      weights++;
    }
    return weights == 0 ? 0 : sum / weights;
  }

  static long leastRequested(long requested, long capacity) {
    if (capacity == 0 || requested > capacity) {
      return 0;
    }
    return (capacity - requested) * MAX / capacity;
  }

  /**
   * NodeResourcesBalancedAllocation: nodes where cpu and memory would be used in like shares score
   * higher ((1 - standard deviation of the shares) x 100; for two resources the deviation is half
   * their difference). Upstream skips it for a pod that requests neither (a best-effort pod).
   */
  public static long balancedAllocation(PodInfo pod, NodeInfo node) {
    Resources allocatable = node.facts().allocatable();
    Resources want = pod.requests().requests();
    double[] fractions = new double[2];
    int n = 0;
    if (allocatable.milliCpu() > 0) {
      fractions[n++] =
          Math.min(1, (double) (node.requestedCpu() + want.milliCpu()) / allocatable.milliCpu());
    }
    if (allocatable.memory() > 0) {
      fractions[n++] =
          Math.min(1, (double) (node.requestedMemory() + want.memory()) / allocatable.memory());
    }
    double std = n == 2 ? Math.abs(fractions[0] - fractions[1]) / 2 : 0;
    return (long) ((1 - std) * MAX);
  }

  /** Whether the pod requests no cpu and no memory: BalancedAllocation leaves it out. */
  public static boolean bestEffort(PodInfo pod) {
    Resources want = pod.requests().requests();
    return want.milliCpu() == 0 && want.memory() == 0;
  }

  /**
   * TaintToleration's raw score: the PreferNoSchedule taints of the node the pod does not tolerate.
   */
  public static long intolerablePreferNoSchedule(PodInfo pod, NodeInfo node) {
    long count = 0;
    for (Taint taint : node.facts().taints()) {
      if (Taint.PREFER_NO_SCHEDULE.equals(taint.effect())
          && !toleratesPreferNoSchedule(pod.tolerations(), taint)) {
        count++;
      }
    }
    return count;
  }

  private static boolean toleratesPreferNoSchedule(List<Toleration> tolerations, Taint taint) {
    for (Toleration t : tolerations) {
      if ((t.effect().isEmpty() || Taint.PREFER_NO_SCHEDULE.equals(t.effect()))
          && t.tolerates(taint)) {
        return true;
      }
    }
    return false;
  }

  /** NodeAffinity's raw score: the summed weights of the preferred terms the node matches. */
  public static long preferredNodeAffinity(PodInfo pod, NodeInfo node) {
    long sum = 0;
    for (PodInfo.WeightedTerm t : pod.preferredNodeAffinity()) {
      if (t.weight() != 0 && t.term().matches(node.name(), node.facts().labels())) {
        sum += t.weight();
      }
    }
    return sum;
  }

  /** Spreading's raw score: the pods of the pod's owner already on the node. */
  public static long ownerPods(PodInfo pod, NodeInfo node) {
    return pod.owner() == null ? 0 : node.podsOf(pod.owner());
  }

  /**
   * Upstream's DefaultNormalizeScore: scales raw scores so the highest is {@link #MAX}; {@code
   * reverse} turns them round (the fewest is best). All zero: all 0, or all {@link #MAX} reversed.
   */
  public static void normalize(long[] scores, int n, boolean reverse) {
    long max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, scores[i]);
    }
    for (int i = 0; i < n; i++) {
      long score = max == 0 ? 0 : MAX * scores[i] / max;
      scores[i] = reverse ? MAX - score : score;
    }
  }
}
