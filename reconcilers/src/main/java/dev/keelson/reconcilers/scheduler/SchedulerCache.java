package dev.keelson.reconcilers.scheduler;

import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.ListResult;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduler's picture of the cluster: every node with the pods bound to it, kept from Node and
 * Pod changes, each object read once per change (a pod's status update costs a lookup, not a
 * parse). A pod the scheduler has just placed is "assumed" on its node until its binding shows up
 * (so the next decision sees it), and forgotten if the binding fails.
 *
 * <p>Not thread-safe: {@link CacheGuard} serialises every use. {@link #apply} tells what a change
 * may have done for pods that did not fit: {@link Wake}.
 */
public final class SchedulerCache {

  static final GroupKind NODE = GroupKind.core("Node");
  static final GroupKind POD = GroupKind.core("Pod");

  /** Which unschedulable pods a change may help. */
  public enum Wake {
    NONE,
    /** A pod was bound: pods with required pod affinity may now fit. */
    AFFINITY,
    /** A node changed, or a pod left its node: any pod may now fit. */
    ALL;

    Wake or(Wake o) {
      return o.ordinal() > ordinal() ? o : this;
    }
  }

  private static final class Placed {
    PodInfo pod;
    final NodeInfo node;
    boolean assumed;

    Placed(PodInfo pod, NodeInfo node, boolean assumed) {
      this.pod = pod;
      this.node = node;
      this.assumed = assumed;
    }
  }

  private final Map<String, NodeInfo> byName = new HashMap<>();
  private final List<NodeInfo> nodes = new ArrayList<>();
  private final List<NodeInfo> nodesView = Collections.unmodifiableList(nodes);
  private final Map<ResourceKey, Placed> placed = new HashMap<>();
  private int antiAffinityPods;
  private long nodeRevision = -1;
  private long podRevision = -1;

  /** Every node the scheduler knows of (with its facts). */
  public List<NodeInfo> nodes() {
    return nodesView;
  }

  /** The node of that name, or null. */
  public NodeInfo node(String name) {
    NodeInfo node = byName.get(name);
    return node != null && node.facts() != null ? node : null;
  }

  public boolean anyAntiAffinityPods() {
    return antiAffinityPods > 0;
  }

  /** Whether {@code key} is counted on a node as assumed (its binding not seen yet). */
  public boolean assumed(ResourceKey key) {
    Placed p = placed.get(key);
    return p != null && p.assumed;
  }

  /** The node a pod is counted on, or null. */
  public String nodeOf(ResourceKey key) {
    Placed p = placed.get(key);
    return p == null ? null : p.node.name();
  }

  /** Fills the cache from lists of every Node and Pod; later changes at or before are skipped. */
  public void load(ListResult nodeList, ListResult podList) {
    for (StoredObject node : nodeList.items()) {
      putNode(node);
    }
    for (StoredObject pod : podList.items()) {
      String nodeName = pod.fields().getOrDefault("spec.nodeName", "");
      if (!nodeName.isEmpty() && !terminal(pod)) {
        place(parse(pod), nodeName, false);
      }
    }
    nodeRevision = nodeList.revision();
    podRevision = podList.revision();
  }

  /** Applies one change of a Node or a Pod; says which waiting pods it may help. */
  public Wake apply(WatchEvent event) {
    GroupKind kind = event.object().key().groupKind();
    if (NODE.equals(kind)) {
      if (event.revision() <= nodeRevision) {
        return Wake.NONE;
      }
      nodeRevision = event.revision();
      return applyNode(event);
    }
    if (POD.equals(kind)) {
      if (event.revision() <= podRevision) {
        return Wake.NONE;
      }
      podRevision = event.revision();
      return applyPod(event);
    }
    return Wake.NONE;
  }

  private Wake applyNode(WatchEvent event) {
    String name = event.object().key().name();
    if (event.type() == WatchEvent.Type.DELETED) {
      NodeInfo node = byName.get(name);
      if (node != null && node.facts() != null) {
        node.facts(null);
        unlist(node);
        if (node.podCount() == 0) {
          byName.remove(name);
        }
      }
      return Wake.NONE;
    }
    return putNode(event.object());
  }

  private Wake putNode(StoredObject object) {
    NodeFacts facts = NodeFacts.parse(Json.parseObject(object.json()));
    NodeInfo node = byName.computeIfAbsent(facts.name(), NodeInfo::new);
    if (node.facts() == null) {
      node.facts(facts);
      node.index = nodes.size();
      nodes.add(node);
      return Wake.ALL;
    }
    if (!node.facts().equals(facts)) {
      node.facts(facts);
      return Wake.ALL;
    }
    return Wake.NONE;
  }

  private void unlist(NodeInfo node) {
    int i = node.index;
    NodeInfo last = nodes.remove(nodes.size() - 1);
    if (last != node) {
      nodes.set(i, last);
      last.index = i;
    }
    node.index = -1;
  }

  private Wake applyPod(WatchEvent event) {
    StoredObject object = event.object();
    Placed current = placed.get(object.key());
    boolean same = current != null && Objects.equals(current.pod.uid(), object.uid());
    if (event.type() == WatchEvent.Type.DELETED) {
      if (same) {
        unplace(current);
        return Wake.ALL;
      }
      return Wake.NONE;
    }
    String nodeName = object.fields().getOrDefault("spec.nodeName", "");
    if (nodeName.isEmpty()) {
      // An older state of a pod whose binding is under way leaves its assumption alone.
      if (current != null && !(same && current.assumed)) {
        unplace(current);
      }
      return Wake.NONE;
    }
    if (terminal(object)) {
      if (current != null) {
        unplace(current);
        return Wake.ALL;
      }
      return Wake.NONE;
    }
    if (same && current.node.name().equals(nodeName)) {
      current.assumed = false;
      if (!current.pod.labels().equals(object.labels())) {
        PodInfo relabelled = current.pod.withLabels(object.labels());
        unplace(current);
        place(relabelled, nodeName, false);
        return Wake.ALL;
      }
      return Wake.NONE;
    }
    if (current != null) {
      unplace(current);
    }
    place(parse(object), nodeName, false);
    return Wake.AFFINITY;
  }

  /** Counts {@code pod} on {@code node} before its binding is seen. */
  public void assume(PodInfo pod, NodeInfo node) {
    Placed current = placed.get(pod.key());
    if (current != null) {
      unplace(current);
    }
    place(pod, node.name(), true);
  }

  /** Stops counting an assumed pod whose binding failed (a pod seen bound stays). */
  public void forget(PodInfo pod) {
    Placed current = placed.get(pod.key());
    if (current != null && current.assumed && current.pod.uid().equals(pod.uid())) {
      unplace(current);
    }
  }

  private void place(PodInfo pod, String nodeName, boolean assumed) {
    NodeInfo node = byName.computeIfAbsent(nodeName, NodeInfo::new);
    node.add(pod);
    placed.put(pod.key(), new Placed(pod, node, assumed));
    if (!pod.antiAffinity().isEmpty()) {
      antiAffinityPods++;
    }
  }

  private void unplace(Placed p) {
    placed.remove(p.pod.key());
    p.node.remove(p.pod);
    if (!p.pod.antiAffinity().isEmpty()) {
      antiAffinityPods--;
    }
    if (p.node.facts() == null && p.node.podCount() == 0) {
      byName.remove(p.node.name());
    }
  }

  private static boolean terminal(StoredObject pod) {
    String phase = pod.fields().get("status.phase");
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static PodInfo parse(StoredObject pod) {
    return PodInfo.parse(Json.parseObject(pod.json()), pod.revision());
  }
}
