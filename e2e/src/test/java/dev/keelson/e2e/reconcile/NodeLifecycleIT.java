package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.e2e.agent.Cluster;
import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.nodeagent.agent.AgentSettings;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated nodes whose agents stop: the node lifecycle controller, with a 3 s grace period, turns
 * them Unknown and unreachable, the pods that tolerate that for 3 s are evicted (and, as no agent
 * finishes them, force-deleted once their grace is over), and a node whose agent comes back is
 * Ready again without the taints. Pods bound to a node that does not exist are collected.
 */
class NodeLifecycleIT {

  static final Duration GRACE = Duration.ofSeconds(3);

  /** Heartbeats every half second, so that 3 s of silence means the agent is gone. */
  static final UnaryOperator<AgentSettings> FAST =
      s -> s.withPeriods(Duration.ofSeconds(1), Duration.ofMillis(500), s.statusReport());

  @TempDir static Path dir;
  static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    cluster.controllers(s -> s.withNodeMonitorGracePeriod(GRACE).withPodEvictionTimeout(GRACE));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aSilentNodeIsUnreachableAndItsPodsAreEvictedWhenTheirTolerationRunsOut() throws Exception {
    String prefix = Cluster.uniqueNode("lost");
    AgentProcess agent = startAgent(prefix);
    String node = prefix + "-0";
    createPod("short-" + prefix, node, ", tolerationSeconds: 3");
    createPod("forever-" + prefix, node, "");
    awaitReady("short-" + prefix);
    awaitReady("forever-" + prefix);
    // A healthy node stays Ready and untainted over several grace periods.
    await()
        .during(Duration.ofSeconds(7))
        .atMost(Duration.ofSeconds(10))
        .until(() -> "True".equals(nodeReady(node).getStatus()) && taints(node).isEmpty());

    agent.close();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              NodeCondition ready = nodeReady(node);
              assertThat(ready.getStatus()).isEqualTo("Unknown");
              assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
              assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
              assertThat(taints(node))
                  .extracting(t -> t.getKey() + ":" + t.getEffect())
                  .contains(
                      "node.kubernetes.io/unreachable:NoExecute",
                      "node.kubernetes.io/unreachable:NoSchedule");
            });
    Taint noExecute =
        taints(node).stream().filter(t -> t.getEffect().equals("NoExecute")).findFirst().get();
    assertThat(noExecute.getTimeAdded()).isNotBlank();
    // Evicted after its 3 s, then force-deleted after its 1 s grace: no agent will finish it.
    await().atMost(Duration.ofSeconds(20)).until(() -> pod("short-" + prefix) == null);
    assertThat(events("TaintManagerEviction"))
        .extracting(Event::getMessage)
        .contains("Marking for deletion Pod default/short-" + prefix);
    // The pod that tolerates an unreachable node forever stays, no longer Ready.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "False".equals(Manifests.condition(pod("forever-" + prefix), "Ready")));
    assertThat(pod("forever-" + prefix).getMetadata().getDeletionTimestamp()).isNull();
    assertThat(events("RegisteredNode"))
        .extracting(Event::getMessage)
        .contains("Registered Node " + node + " in Controller");
    assertThat(events("NodeNotReady"))
        .extracting(Event::getMessage)
        .contains("Node " + node + " status is now: NodeNotReady");
  }

  @Test
  void aNodeThatComesBackIsReadyAgainWithoutTheTaints() throws Exception {
    String prefix = Cluster.uniqueNode("back");
    String node = prefix + "-0";
    AgentProcess agent = startAgent(prefix);
    createPod("stay-" + prefix, node, "");
    awaitReady("stay-" + prefix);
    agent.close();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "Unknown".equals(nodeReady(node).getStatus())
                    && taints(node).stream()
                        .anyMatch(t -> t.getKey().equals("node.kubernetes.io/unreachable")));

    startAgent(prefix);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(nodeReady(node).getStatus()).isEqualTo("True");
              assertThat(taints(node)).isEmpty();
            });
    await().atMost(Duration.ofSeconds(20)).until(() -> podReady("stay-" + prefix));
  }

  @Test
  void podsBoundToANodeThatDoesNotExistAreCollected() {
    String ghost = Cluster.uniqueNode("ghost");
    createPod("orphan-" + ghost, ghost, "");
    assertThat(pod("orphan-" + ghost)).isNotNull();

    await().atMost(Duration.ofSeconds(20)).until(() -> pod("orphan-" + ghost) == null);
  }

  private static AgentProcess startAgent(String prefix) throws Exception {
    return cluster.agent(prefix, 1, null, null, null, java.util.Map.of(), FAST);
  }

  /** A pod on {@code node} tolerating an unreachable node for the given seconds (none: ever). */
  private static void createPod(String name, String node, String tolerationSeconds) {
    Manifests.createPod(
        cluster.client,
        "default",
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          tolerations:
          - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute%s}
          containers:
          - {name: main, image: keelson/busybox:1, command: [sleep, "3600"]}
        """
            .formatted(name, node, tolerationSeconds));
  }

  private static void awaitReady(String name) {
    await().atMost(Duration.ofSeconds(20)).until(() -> podReady(name));
  }

  private static boolean podReady(String pod) {
    return "True".equals(Manifests.condition(pod(pod), "Ready"));
  }

  private static Pod pod(String name) {
    return cluster.client.pods().inNamespace("default").withName(name).get();
  }

  private static NodeCondition nodeReady(String node) {
    Node n = cluster.client.nodes().withName(node).get();
    return n.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElseThrow();
  }

  private static List<Taint> taints(String node) {
    Node n = cluster.client.nodes().withName(node).get();
    return Optional.ofNullable(n.getSpec().getTaints()).orElse(List.of());
  }

  private static List<Event> events(String reason) {
    return cluster.client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
