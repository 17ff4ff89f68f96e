package dev.keelson.nodeagent.agent;

import dev.keelson.nodeagent.node.NodePressure;
import dev.keelson.nodeagent.node.NodeResources;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node's registration and heartbeat, as the kubelet keeps them: the Node object with its
 * capacity, addresses, facts and conditions, written at start and whenever a condition changes or
 * the report period passes; and the Lease in {@code kube-node-lease}, renewed every ten seconds,
 * which is what tells the control plane the node is alive.
 */
final class NodeHeartbeat {

  static final String LEASE_NAMESPACE = "kube-node-lease";
  static final int LEASE_SECONDS = 40;

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final String runtimeVersion;
  private final int port;
  private Node node;
  private Lease lease;
  private List<NodeCondition> reported = List.of();
  private Instant lastReport = Instant.EPOCH;

  NodeHeartbeat(KubernetesClient client, AgentSettings settings, String runtimeVersion, int port) {
    this.client = client;
    this.settings = settings;
    this.runtimeVersion = runtimeVersion;
    this.port = port;
  }

  /** Creates the Node, or takes over the one of that name, and writes its status. */
  synchronized void register(boolean runtimeUp) {
    Node wanted =
        new NodeBuilder()
            .withNewMetadata()
            .withName(settings.nodeName())
            .withLabels(labels())
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .build();
    Node existing = client.nodes().withName(settings.nodeName()).get();
    if (existing == null) {
      try {
        node = client.nodes().resource(wanted).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        node = client.nodes().withName(settings.nodeName()).get();
      }
    } else {
      Map<String, String> merged = new LinkedHashMap<>();
      if (existing.getMetadata().getLabels() != null) {
        merged.putAll(existing.getMetadata().getLabels());
      }
      merged.putAll(labels());
      node =
          client
              .nodes()
              .withName(settings.nodeName())
              .edit(
                  n -> {
                    n.getMetadata().setLabels(merged);
                    return n;
                  });
    }
    report(runtimeUp, true);
  }

  /** Renews the Lease, and reports the Node's status when it changed or is due. */
  private Instant lastBeat;

  synchronized void beat(boolean runtimeUp) {
    Instant now = settings.clock().instant();
    // After a silence (the API out of reach, the process paused) the node lifecycle controller may
    // have marked the node Unknown: the first beat after it reports the status again at once.
    boolean silent =
        lastBeat != null && now.isAfter(lastBeat.plus(settings.leaseRenewal().multipliedBy(2)));
    renewLease();
    lastBeat = now;
    report(runtimeUp, silent);
  }

  private void report(boolean runtimeUp, boolean force) {
    Instant now = settings.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    NodePressure.PressureReading pressure = settings.pressure().get();
    List<NodeCondition> conditions = conditions(pressure, runtimeUp, now);
    boolean changed = !sameStatuses(conditions, reported);
    if (!force && !changed && now.isBefore(lastReport.plus(settings.statusReport()))) {
      return;
    }
    // Only the status travels: the conditions list replaces the old one as a whole.
    Node patch = new NodeBuilder().withStatus(status(conditions)).build();
    client
        .nodes()
        .withName(settings.nodeName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    reported = conditions;
    lastReport = now;
  }

  private void renewLease() {
    ZonedDateTime now = ZonedDateTime.ofInstant(settings.clock().instant(), ZoneOffset.UTC);
    if (lease == null) {
      lease = client.leases().inNamespace(LEASE_NAMESPACE).withName(settings.nodeName()).get();
    }
    if (lease == null) {
      Lease fresh =
          new LeaseBuilder()
              .withNewMetadata()
              .withName(settings.nodeName())
              .withNamespace(LEASE_NAMESPACE)
              .addNewOwnerReference()
              .withApiVersion("v1")
              .withKind("Node")
              .withName(settings.nodeName())
              .withUid(node.getMetadata().getUid())
              .endOwnerReference()
              .endMetadata()
              .withNewSpec()
              .withHolderIdentity(settings.nodeName())
              .withLeaseDurationSeconds(LEASE_SECONDS)
              .withRenewTime(now)
              .endSpec()
              .build();
      lease = client.leases().inNamespace(LEASE_NAMESPACE).resource(fresh).create();
      return;
    }
    lease.getSpec().setRenewTime(now);
    lease.getSpec().setHolderIdentity(settings.nodeName());
    try {
      lease = client.leases().inNamespace(LEASE_NAMESPACE).resource(lease).update();
    } catch (KubernetesClientException e) {
      lease = null; // someone else wrote it (or removed it): read it again next beat
      throw e;
    }
  }

  /** The Node's labels: the well-known ones of the host, and the configured ones. */
  Map<String, String> labels() {
    NodeResources host = settings.resources();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", settings.nodeName());
    labels.put("kubernetes.io/os", host.os());
    labels.put("kubernetes.io/arch", host.architecture());
    labels.put("beta.kubernetes.io/os", host.os());
    labels.put("beta.kubernetes.io/arch", host.architecture());
    labels.putAll(settings.labels());
    return labels;
  }

  private NodeStatus status(List<NodeCondition> conditions) {
    NodeResources host = settings.resources();
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put(
        "cpu",
        new Quantity(
            host.cpuMillis() % 1000 == 0
                ? Long.toString(host.cpuMillis() / 1000)
                : host.cpuMillis() + "m"));
    capacity.put("memory", new Quantity(Long.toString(host.memoryBytes() / 1024) + "Ki"));
    capacity.put("pods", new Quantity(Integer.toString(host.pods())));
    return new NodeStatusBuilder()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(host.address())
        .endAddress()
        .addNewAddress()
        .withType("Hostname")
        .withAddress(host.hostname())
        .endAddress()
        .withNewDaemonEndpoints()
        .withNewKubeletEndpoint()
        .withPort(port)
        .endKubeletEndpoint()
        .endDaemonEndpoints()
        .withNewNodeInfo()
        .withArchitecture(host.architecture())
        .withOperatingSystem(host.os())
        .withKernelVersion(host.kernelVersion())
        .withOsImage(host.osImage())
        .withContainerRuntimeVersion(runtimeVersion)
        .withKubeletVersion(AgentVersion.KUBELET_VERSION)
        .withKubeProxyVersion(AgentVersion.KUBELET_VERSION)
        .withMachineID(settings.nodeName())
        .withSystemUUID(settings.nodeName())
        .withBootID(AgentVersion.BOOT_ID)
        .endNodeInfo()
        .withConditions(conditions)
        .build();
  }

  private List<NodeCondition> conditions(
      NodePressure.PressureReading pressure, boolean runtimeUp, Instant now) {
    List<NodeCondition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            "MemoryPressure",
            pressure.memory(),
            pressure.memory() ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
            pressure.memoryMessage(),
            now));
    conditions.add(
        condition(
            "DiskPressure",
            pressure.disk(),
            pressure.disk() ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
            pressure.diskMessage(),
            now));
    conditions.add(
        condition(
            "PIDPressure",
            pressure.pid(),
            pressure.pid() ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
            pressure.pidMessage(),
            now));
    conditions.add(
        condition(
            "Ready",
            runtimeUp,
            runtimeUp ? "KubeletReady" : "KubeletNotReady",
            runtimeUp
                ? "Keelson node agent is posting ready status"
                : "container runtime is down: " + runtimeVersion,
            now));
    return conditions;
  }

  private NodeCondition condition(
      String type, boolean value, String reason, String message, Instant now) {
    String status = value ? "True" : "False";
    String since = now.toString();
    for (NodeCondition old : reported) {
      if (old.getType().equals(type) && old.getStatus().equals(status)) {
        since = old.getLastTransitionTime();
      }
    }
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(now.toString())
        .withLastTransitionTime(since)
        .build();
  }

  private static boolean sameStatuses(List<NodeCondition> a, List<NodeCondition> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Objects.equals(a.get(i).getType(), b.get(i).getType())
          || !Objects.equals(a.get(i).getStatus(), b.get(i).getStatus())) {
        return false;
      }
    }
    return true;
  }
}
