package dev.keelson.reconcilers.scheduler;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Upstream's InterPodAffinity filter for one pod, prepared once against the pods on the nodes (its
 * PreFilter) and then asked node by node. A topology domain is a pair of a node label key and
 * value; a pod counts in the domain of the node it is on.
 *
 * <ul>
 *   <li>Required affinity: every term needs a pod it selects in the node's domain; the first pod of
 *       a group that selects itself may go anywhere when no pod in the cluster matches yet.
 *   <li>Required anti-affinity: no term may select a pod in the node's domain. Terms over {@code
 *       kubernetes.io/hostname} look at the node's own pods only (upstream's hostname fast path).
 *   <li>Existing pods' required anti-affinity: a pod may not go where an existing pod's term
 *       selects it.
 * </ul>
 */
public final class InterPodAffinity {

  public static final String AFFINITY = "node(s) didn't match pod affinity rules";
  public static final String ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
  public static final String EXISTING_ANTI_AFFINITY =
      "node(s) didn't satisfy existing pods anti-affinity rules";

  /** For a pod without terms in a cluster without anti-affinity pods: nothing to check. */
  public static final InterPodAffinity NONE =
      new InterPodAffinity(null, Map.of(), Map.of(), false, Map.of(), x -> Map.of());

  private final PodInfo pod;
  private final Map<String, Map<String, Integer>> affinityCounts;
  private final Map<String, Set<String>> antiAffinityDomains;
  private final boolean selfAffine;
  private final Map<String, Set<String>> existingAntiDomains;
  private final Function<String, Map<String, String>> namespaceLabels;

  private InterPodAffinity(
      PodInfo pod,
      Map<String, Map<String, Integer>> affinityCounts,
      Map<String, Set<String>> antiAffinityDomains,
      boolean selfAffine,
      Map<String, Set<String>> existingAntiDomains,
      Function<String, Map<String, String>> namespaceLabels) {
    this.pod = pod;
    this.affinityCounts = affinityCounts;
    this.antiAffinityDomains = antiAffinityDomains;
    this.selfAffine = selfAffine;
    this.existingAntiDomains = existingAntiDomains;
    this.namespaceLabels = namespaceLabels;
  }

  /**
   * Prepares the check of {@code pod} against the pods on {@code nodes}; {@code namespaceLabels}
   * gives a namespace's labels, for terms with a namespace selector.
   */
  public static InterPodAffinity prepare(
      PodInfo pod,
      List<NodeInfo> nodes,
      boolean anyAntiAffinityPods,
      Function<String, Map<String, String>> namespaceLabels) {
    Map<String, Set<String>> existing = new HashMap<>();
    if (anyAntiAffinityPods) {
      for (NodeInfo node : nodes) {
        if (node.hasAntiAffinityPods() && node.facts() != null) {
          for (PodInfo other : node.pods()) {
            for (PodAffinityTerm term : other.antiAffinity()) {
              if (term.matches(pod, namespaceLabels)) {
                addDomain(existing, term.topologyKey(), node);
              }
            }
          }
        }
      }
    }
    boolean wideAnti = false;
    for (PodAffinityTerm term : pod.antiAffinity()) {
      wideAnti |= !PodAffinityTerm.HOSTNAME.equals(term.topologyKey());
    }
    if (pod.affinity().isEmpty() && pod.antiAffinity().isEmpty() && existing.isEmpty()) {
      return NONE;
    }
    Map<String, Map<String, Integer>> counts = new HashMap<>();
    Map<String, Set<String>> anti = new HashMap<>();
    if (!pod.affinity().isEmpty() || wideAnti) {
      for (NodeInfo node : nodes) {
        if (node.facts() == null) {
          continue;
        }
        for (PodInfo other : node.pods()) {
          for (PodAffinityTerm term : pod.affinity()) {
            String value = node.facts().labels().get(term.topologyKey());
            if (value != null && term.matches(other, namespaceLabels)) {
              counts
                  .computeIfAbsent(term.topologyKey(), k -> new HashMap<>())
                  .merge(value, 1, Integer::sum);
            }
          }
          for (PodAffinityTerm term : pod.antiAffinity()) {
            if (!PodAffinityTerm.HOSTNAME.equals(term.topologyKey())
                && term.matches(other, namespaceLabels)) {
              addDomain(anti, term.topologyKey(), node);
            }
          }
        }
      }
    }
    boolean selfAffine = !pod.affinity().isEmpty();
    for (PodAffinityTerm term : pod.affinity()) {
      selfAffine &= term.matches(pod, namespaceLabels);
    }
    return new InterPodAffinity(pod, counts, anti, selfAffine, existing, namespaceLabels);
  }

  private static void addDomain(Map<String, Set<String>> domains, String key, NodeInfo node) {
    String value = node.facts().labels().get(key);
    if (value != null) {
      domains.computeIfAbsent(key, k -> new HashSet<>()).add(value);
    }
  }

  /** Null when {@code node} keeps the pod's and the existing pods' rules, else the reason. */
  public String check(NodeInfo node) {
    if (this == NONE) {
      return null;
    }
    Map<String, String> labels = node.facts().labels();
    if (!affinityHolds(labels)) {
      return AFFINITY;
    }
    if (!antiAffinityHolds(node, labels)) {
      return ANTI_AFFINITY;
    }
    for (Map.Entry<String, Set<String>> e : existingAntiDomains.entrySet()) {
      String value = labels.get(e.getKey());
      if (value != null && e.getValue().contains(value)) {
        return EXISTING_ANTI_AFFINITY;
      }
    }
    return null;
  }

  private boolean affinityHolds(Map<String, String> labels) {
    boolean podsExist = true;
    for (PodAffinityTerm term : pod.affinity()) {
      String value = labels.get(term.topologyKey());
      if (value == null) {
        return false;
      }
      Map<String, Integer> byValue = affinityCounts.get(term.topologyKey());
      if (byValue == null || byValue.getOrDefault(value, 0) <= 0) {
        podsExist = false;
      }
    }
    return podsExist || affinityCounts.isEmpty() && selfAffine;
  }

  private boolean antiAffinityHolds(NodeInfo node, Map<String, String> labels) {
    for (PodAffinityTerm term : pod.antiAffinity()) {
      if (!labels.containsKey(term.topologyKey())) {
        continue;
      }
      if (PodAffinityTerm.HOSTNAME.equals(term.topologyKey())) {
        for (PodInfo other : node.pods()) {
          if (term.matches(other, namespaceLabels)) {
            return false;
          }
        }
      } else {
        Set<String> values = antiAffinityDomains.get(term.topologyKey());
        if (values != null && values.contains(labels.get(term.topologyKey()))) {
          return false;
        }
      }
    }
    return true;
  }
}
