package dev.keelson.reconcilers.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The filters of upstream's default profile that Keelson runs, as plain functions: each says why
 * {@code pod} cannot go to {@code node} (upstream's reason text), or null when it can. {@link #run}
 * applies them in upstream's order and stops at the first that fails, as upstream's framework does,
 * so each node counts once in the message, under that filter's reasons.
 */
public final class Filters {

  public static final String UNSCHEDULABLE = "node(s) were unschedulable";
  public static final String NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
  public static final String PORTS = "node(s) didn't have free ports for the requested pod ports";
  public static final String TOO_MANY_PODS = "Too many pods";
  public static final String INSUFFICIENT_CPU = "Insufficient cpu";
  public static final String INSUFFICIENT_MEMORY = "Insufficient memory";
  public static final String INSUFFICIENT_EPHEMERAL_STORAGE = "Insufficient ephemeral-storage";

  private static final Taint UNSCHEDULABLE_TAINT =
      Taint.of(Taint.UNSCHEDULABLE, "", Taint.NO_SCHEDULE);

  /** The reasons for each combination of the common shortages, built once (no garbage per node). */
  private static final List<List<String>> SHORTAGES = shortages();

  private Filters() {}

  /** Null when {@code pod} fits {@code node}, else the reasons of the first filter that failed. */
  public static List<String> run(PodInfo pod, NodeInfo node, InterPodAffinity affinity) {
    NodeFacts facts = node.facts();
    String reason = unschedulable(pod, facts);
    if (reason == null) {
      reason = taints(pod, facts);
    }
    if (reason == null) {
      reason = nodeAffinity(pod, facts);
    }
    if (reason == null) {
      reason = ports(pod, node);
    }
    if (reason != null) {
      return List.of(reason);
    }
    List<String> insufficient = resources(pod, node);
    if (!insufficient.isEmpty()) {
      return insufficient;
    }
    reason = affinity.check(node);
    return reason == null ? null : List.of(reason);
  }

  /** NodeUnschedulable: a cordoned node takes only pods that tolerate its unschedulable taint. */
  public static String unschedulable(PodInfo pod, NodeFacts node) {
    if (node.unschedulable() && !Toleration.anyTolerates(pod.tolerations(), UNSCHEDULABLE_TAINT)) {
      return UNSCHEDULABLE;
    }
    return null;
  }

  /** TaintToleration: every NoSchedule and NoExecute taint must be tolerated. */
  public static String taints(PodInfo pod, NodeFacts node) {
    List<Taint> taints = node.taints();
    for (int i = 0; i < taints.size(); i++) {
      Taint taint = taints.get(i);
      if (taint.forbidsScheduling() && !Toleration.anyTolerates(pod.tolerations(), taint)) {
        return taint.reason();
      }
    }
    return null;
  }

  /** NodeAffinity: the nodeSelector, and one of the required node affinity terms, must match. */
  public static String nodeAffinity(PodInfo pod, NodeFacts node) {
    Map<String, String> labels = node.labels();
    for (Map.Entry<String, String> e : pod.nodeSelector().entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return NODE_AFFINITY;
      }
    }
    List<NodeSelectorTerm> terms = pod.requiredNodeAffinity();
    if (terms == null) {
      return null;
    }
    for (int i = 0; i < terms.size(); i++) {
      if (terms.get(i).matches(node.name(), labels)) {
        return null;
      }
    }
    return NODE_AFFINITY;
  }

  /** NodePorts: no host port of the pod may be taken on the node already. */
  public static String ports(PodInfo pod, NodeInfo node) {
    List<HostPort> wanted = pod.hostPorts();
    if (wanted.isEmpty()) {
      return null;
    }
    List<HostPort> used = node.usedPorts();
    for (int i = 0; i < wanted.size(); i++) {
      for (int j = 0; j < used.size(); j++) {
        if (wanted.get(i).conflicts(used.get(j))) {
          return PORTS;
        }
      }
    }
    return null;
  }

  /**
   * NodeResourcesFit: one more pod than allocatable {@code pods} is too many, and each resource the
   * pod requests must fit in what the node's pods leave of its allocatable. Every shortage counts.
   */
  public static List<String> resources(PodInfo pod, NodeInfo node) {
    NodeFacts facts = node.facts();
    int missing = 0;
    if (node.podCount() + 1 > facts.allowedPods()) {
      missing |= 1;
    }
    Resources want = pod.requests().requests();
    Resources have = facts.allocatable();
    if (want.milliCpu() > 0 && want.milliCpu() > have.milliCpu() - node.requestedCpu()) {
      missing |= 2;
    }
    if (want.memory() > 0 && want.memory() > have.memory() - node.requestedMemory()) {
      missing |= 4;
    }
    if (want.ephemeralStorage() > 0
        && want.ephemeralStorage() > have.ephemeralStorage() - node.requestedEphemeral()) {
      missing |= 8;
    }
    List<String> reasons = SHORTAGES.get(missing);
    if (!want.scalars().isEmpty()) {
      for (Map.Entry<String, Long> e : want.scalars().entrySet()) {
        long asked = e.getValue();
        if (asked > 0 && asked > have.scalar(e.getKey()) - node.requestedScalar(e.getKey())) {
          reasons = add(reasons, "Insufficient " + e.getKey());
        }
      }
    }
    return reasons;
  }

  private static List<List<String>> shortages() {
    List<List<String>> all = new ArrayList<>(16);
    String[] names = {
      TOO_MANY_PODS, INSUFFICIENT_CPU, INSUFFICIENT_MEMORY, INSUFFICIENT_EPHEMERAL_STORAGE
    };
    for (int mask = 0; mask < 16; mask++) {
      List<String> reasons = new ArrayList<>();
      for (int bit = 0; bit < 4; bit++) {
        if ((mask & 1 << bit) != 0) {
          reasons.add(names[bit]);
        }
      }
      all.add(List.copyOf(reasons));
    }
    return List.copyOf(all);
  }

  private static List<String> add(List<String> reasons, String reason) {
    List<String> list = new ArrayList<>(reasons);
    list.add(reason);
    return list;
  }
}
