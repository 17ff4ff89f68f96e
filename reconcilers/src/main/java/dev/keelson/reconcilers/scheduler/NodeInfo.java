package dev.keelson.reconcilers.scheduler;

import dev.keelson.api.ResourceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node as the scheduler sees it: its facts, and the sums over the pods bound (or assumed) to it
 * that the filters and scores read: requests, host ports, pods per owner. Kept up to date pod by
 * pod, so no decision adds anything up. Not thread-safe: the {@link SchedulerCache} guards it.
 */
public final class NodeInfo {

  private final String name;
  private NodeFacts facts;
  private final Map<ResourceKey, PodInfo> pods = new LinkedHashMap<>();
  private long requestedCpu;
  private long requestedMemory;
  private long requestedEphemeral;
  private Map<String, Long> requestedScalars = Map.of();
  private long nonZeroCpu;
  private long nonZeroMemory;
  private final List<HostPort> usedPorts = new ArrayList<>(0);
  private final Map<String, Integer> owners = new HashMap<>();
  private int withAntiAffinity;
  int index = -1;

  public NodeInfo(String name) {
    this.name = name;
  }

  public NodeInfo(NodeFacts facts) {
    this(facts.name());
    this.facts = facts;
  }

  public String name() {
    return name;
  }

  /** The Node's facts; null while pods are bound to a node the scheduler has not seen. */
  public NodeFacts facts() {
    return facts;
  }

  void facts(NodeFacts facts) {
    this.facts = facts;
  }

  public Collection<PodInfo> pods() {
    return pods.values();
  }

  public int podCount() {
    return pods.size();
  }

  public long requestedCpu() {
    return requestedCpu;
  }

  public long requestedMemory() {
    return requestedMemory;
  }

  public long requestedEphemeral() {
    return requestedEphemeral;
  }

  public long requestedScalar(String resource) {
    Long value = requestedScalars.get(resource);
    return value == null ? 0 : value;
  }

  public long nonZeroCpu() {
    return nonZeroCpu;
  }

  public long nonZeroMemory() {
    return nonZeroMemory;
  }

  public List<HostPort> usedPorts() {
    return usedPorts;
  }

  /** Pods of {@code owner} on the node. */
  public int podsOf(String owner) {
    Integer n = owners.get(owner);
    return n == null ? 0 : n;
  }

  /** Whether a pod on the node has required anti-affinity terms. */
  public boolean hasAntiAffinityPods() {
    return withAntiAffinity > 0;
  }

  public PodInfo pod(ResourceKey key) {
    return pods.get(key);
  }

  /** Counts {@code pod} on the node (replacing an earlier state of it). */
  public void add(PodInfo pod) {
    PodInfo old = pods.get(pod.key());
    if (old != null) {
      remove(old);
    }
    pods.put(pod.key(), pod);
    apply(pod, 1);
  }

  /** Stops counting {@code pod}, if it is counted here. */
  public void remove(PodInfo pod) {
    if (pods.remove(pod.key()) != null) {
      apply(pod, -1);
    }
  }

  private void apply(PodInfo pod, int sign) {
    Resources r = pod.requests().requests();
    requestedCpu += sign * r.milliCpu();
    requestedMemory += sign * r.memory();
    requestedEphemeral += sign * r.ephemeralStorage();
    if (!r.scalars().isEmpty()) {
      if (requestedScalars.isEmpty()) {
        requestedScalars = new HashMap<>();
      }
      r.scalars().forEach((k, v) -> requestedScalars.merge(k, sign * v, Long::sum));
    }
    nonZeroCpu += sign * pod.requests().nonZeroMilliCpu();
    nonZeroMemory += sign * pod.requests().nonZeroMemory();
    for (HostPort p : pod.hostPorts()) {
      if (sign > 0) {
        usedPorts.add(p);
      } else {
        usedPorts.remove(p);
      }
    }
    if (pod.owner() != null) {
      owners.merge(pod.owner(), sign, (a, b) -> a + b == 0 ? null : a + b);
    }
    if (!pod.antiAffinity().isEmpty()) {
      withAntiAffinity += sign;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
