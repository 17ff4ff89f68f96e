package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.pod.RestartBackoff;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty simulated nodes in one agent process against a real API: they register and keep Leases, and
 * the pods bound to them run, crash-loop, fail to pull and go away as on real nodes, while no
 * container runs. No Docker engine is needed.
 */
class SimulatedNodesIT {

  static final int NODES = 50;

  @TempDir static Path dir;
  static Cluster cluster;
  static AgentProcess agent;
  static String prefix;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    prefix = Cluster.uniqueNode("sim");
    // Back-offs a tenth of upstream's (restarts after 1 s, 2 s, 4 s...), and each pod looked at
    // every second rather than the simulated nodes' 5 s: a simulated container that exits says so
    // to no one, its worker finds it at its next sync.
    agent =
        cluster.agent(
            prefix,
            NODES,
            s ->
                s.withRestarts(RestartBackoff.standard().scaled(10))
                    .withPeriods(Duration.ofSeconds(1), s.leaseRenewal(), s.statusReport()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.client.pods().inNamespace("default").delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> cluster.client.pods().inNamespace("default").list().getItems().isEmpty());
      cluster.close();
    }
  }

  @Test
  void fiftyNodesRegisterAndAreReadyWithLeases() {
    List<String> names = IntStream.range(0, NODES).mapToObj(i -> prefix + "-" + i).toList();
    assertThat(agent.nodeNames()).containsExactlyElementsOf(names);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Map<String, Node> nodes =
                  cluster
                      .client
                      .nodes()
                      .withLabel("node.keelson.dev/simulated", "true")
                      .list()
                      .getItems()
                      .stream()
                      .filter(n -> n.getMetadata().getName().startsWith(prefix + "-"))
                      .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n));
              assertThat(nodes).containsOnlyKeys(names);
              assertThat(nodes.values()).allSatisfy(n -> assertThat(ready(n)).isTrue());
              Map<String, Lease> leases =
                  cluster.client.leases().inNamespace("kube-node-lease").list().getItems().stream()
                      .filter(l -> l.getMetadata().getName().startsWith(prefix + "-"))
                      .collect(Collectors.toMap(l -> l.getMetadata().getName(), l -> l));
              assertThat(leases).containsOnlyKeys(names);
              assertThat(leases.values())
                  .allSatisfy(
                      l -> {
                        assertThat(l.getSpec().getHolderIdentity())
                            .isEqualTo(l.getMetadata().getName());
                        assertThat(l.getSpec().getRenewTime()).isNotNull();
                      });
            });
    Node one = cluster.client.nodes().withName(prefix + "-7").get();
    assertThat(one.getStatus().getNodeInfo().getContainerRuntimeVersion())
        .isEqualTo("simulated://1");
  }

  @Test
  void podsBoundToSimulatedNodesRun() {
    List<Integer> onNodes = List.of(0, 13, 26, 49);
    for (int n : onNodes) {
      create("run-" + n, prefix + "-" + n, "keelson/busybox:1", "[sleep, \"3600\"]");
    }
    for (int n : onNodes) {
      String name = "run-" + n;
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> "Running".equals(Pods.phase(cluster.client, name)));
      await().atMost(Duration.ofSeconds(20)).until(() -> Pods.ready(cluster.client, name));
      Pod pod = Pods.get(cluster.client, name);
      assertThat(pod.getStatus().getPodIP()).startsWith("10.244.");
      assertThat(pod.getStatus().getHostIP()).isEqualTo("127.0.0.1");
      ContainerStatus main = pod.getStatus().getContainerStatuses().get(0);
      assertThat(main.getState().getRunning()).isNotNull();
      assertThat(main.getRestartCount()).isZero();
      assertThat(main.getContainerID()).startsWith("simulated://");
      // The container is in the simulated runtime, labelled for the node the pod is bound to.
      assertThat(
              agent
                  .runtime()
                  .list(Map.of(PodContainers.POD_NAME, name, PodContainers.CONTAINER, "main")))
          .singleElement()
          .satisfies(
              c -> assertThat(c.labels()).containsEntry(PodContainers.NODE, prefix + "-" + n));
    }
  }

  @Test
  void aContainerThatExitsCrashLoopsWithAGrowingRestartCount() {
    create("crash", prefix + "-3", "keelson/busybox:1", "[\"exit=1\"]");
    Set<String> reasons = ConcurrentHashMap.newKeySet();
    // About 8 s on an idle machine; generous for a loaded one.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Optional<ContainerStatus> found = Pods.container(cluster.client, "crash", "main");
              assertThat(found).as("the container's status").isPresent();
              ContainerStatus status = found.get();
              if (status.getState().getWaiting() != null) {
                reasons.add(status.getState().getWaiting().getReason());
              }
              assertThat(reasons).contains("CrashLoopBackOff");
              assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(3);
              assertThat(status.getLastState()).isNotNull();
              assertThat(status.getLastState().getTerminated()).isNotNull();
              assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
            });
  }

  @Test
  void aMissingImageIsErrImagePullThenImagePullBackOff() {
    create("nopull", prefix + "-4", "keelson/missing:1", "[sleep, \"3600\"]");
    Set<String> reasons = ConcurrentHashMap.newKeySet();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Pods.container(cluster.client, "nopull", "main")
                  .map(ContainerStatus::getState)
                  .filter(s -> s.getWaiting() != null)
                  .ifPresent(s -> reasons.add(s.getWaiting().getReason()));
              assertThat(reasons).contains("ImagePullBackOff");
            });
    assertThat(reasons).containsAnyOf("ErrImagePull", "ImagePullBackOff");
    assertThat(Pods.phase(cluster.client, "nopull")).isEqualTo("Pending");
    assertThat(Pods.container(cluster.client, "nopull", "main").orElseThrow().getImage())
        .isEqualTo("keelson/missing:1");
  }

  @Test
  void deletedPodsAreGoneFromTheApiAndTheRuntime() {
    List<String> names = List.of("gone-0", "gone-1", "gone-2");
    for (int i = 0; i < names.size(); i++) {
      create(names.get(i), prefix + "-" + (20 + i), "keelson/busybox:1", "[sleep, \"3600\"]");
    }
    for (String name : names) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> "Running".equals(Pods.phase(cluster.client, name)));
      assertThat(agent.runtime().list(Map.of(PodContainers.POD_NAME, name))).isNotEmpty();
    }
    for (String name : names) {
      cluster.client.pods().inNamespace("default").withName(name).delete();
    }
    for (String name : names) {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(Pods.get(cluster.client, name)).isNull();
                assertThat(agent.runtime().list(Map.of(PodContainers.POD_NAME, name))).isEmpty();
              });
    }
  }

  private static void create(String name, String node, String image, String argsOrCommand) {
    String key = argsOrCommand.contains("exit=") ? "args" : "command";
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: %s
            %s: %s
        """
            .formatted(name, node, image, key, argsOrCommand));
  }

  private static boolean ready(Node node) {
    return node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }
}
