package dev.keelson.bench.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Nodes that only exist in the API, as upstream's scheduler_perf makes them: Ready, with capacity,
 * and no kubelet behind them (so no Lease: the control plane runs with a long node monitor grace
 * period, and nothing marks them Unknown). Pods bound to them stay Pending.
 */
final class FakeNodes {

  static final String PREFIX = "bench-node-";
  static final String LABEL = "bench.keelson.dev/fake-node";

  /** Capacity and allocatable of every node: 8 cores, 32 GiB, 110 pods. */
  static final Map<String, Quantity> CAPACITY =
      Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"), "pods", new Quantity("110"));

  private FakeNodes() {}

  /**
   * Creates nodes {@code PREFIX0 ... PREFIX(count-1)}. A create keeps the status it is given, as
   * upstream's node strategy does for the kubelet's registration; should the API drop it, the
   * status is written through the status subresource after the create.
   */
  static ParallelCreates.Result create(KubernetesClient client, int count)
      throws InterruptedException {
    return ParallelCreates.run(
        "nodes",
        count,
        i -> {
          Node node = node(PREFIX + i, Instant.now());
          Node created = client.nodes().resource(node).create();
          if (!isReady(created)) {
            created.setStatus(node.getStatus());
            client.nodes().resource(created).updateStatus();
          }
        });
  }

  static Node node(String name, Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    NodeCondition ready =
        new NodeConditionBuilder()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .withMessage("a benchmark node without a kubelet")
            .withLastHeartbeatTime(time)
            .withLastTransitionTime(time)
            .build();
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("kubernetes.io/hostname", name)
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("kubernetes.io/arch", "amd64")
        .addToLabels(LABEL, "true")
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .withCapacity(CAPACITY)
        .withAllocatable(CAPACITY)
        .withConditions(ready)
        .withNewNodeInfo()
        .withKubeletVersion("v1.32.0")
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  static boolean isReady(Node node) {
    return node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
