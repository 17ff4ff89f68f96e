package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.docker.DockerRuntime;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that restarts, as a kubelet does: the containers keep running while no agent runs, the
 * new agent adopts those of its pods (same containers, no restart, nothing started twice) and
 * removes those whose pod was deleted in the meantime.
 *
 * <p>The story runs once: an agent runs two pods and stops; one pod is deleted at once (grace 0)
 * while no agent runs; a new agent with the same node name starts.
 */
@Timeout(120)
class AdoptionIT {

  @TempDir static Path dir;
  static Cluster cluster;
  static DockerRuntime docker;
  static String node;
  static String keptUid;
  static String orphanUid;
  static Set<String> keptContainers;
  static String keptContainerId;
  static AgentProcess second;

  @BeforeAll
  static void restartTheAgent() throws Exception {
    Engine.require();
    cluster = Cluster.start(dir);
    docker = DockerRuntime.connect();
    node = Cluster.uniqueNode("adopt");
    AgentProcess first = cluster.agent(node, s -> s);
    keptUid = Pods.create(cluster.client, pod("kept")).getMetadata().getUid();
    orphanUid = Pods.create(cluster.client, pod("orphan")).getMetadata().getUid();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Pods.ready(cluster.client, "kept") && Pods.ready(cluster.client, "orphan"));
    keptContainers = ids(keptUid);
    keptContainerId = Pods.container(cluster.client, "kept", "app").orElseThrow().getContainerID();

    first.close();
    cluster.client.pods().inNamespace("default").withName("orphan").withGracePeriod(0).delete();
    assertThat(Pods.get(cluster.client, "orphan")).isNull();
    // Nobody stopped them: both pods' containers still run.
    assertThat(running(keptUid)).hasSize(2);
    assertThat(running(orphanUid)).hasSize(2);

    second = cluster.agent(node, s -> s);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.removePods(node);
      cluster.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void theNewAgentAdoptsTheRunningContainersWithoutRestartingThem() {
    // For a while after the new agent started: the same two containers run, nothing restarted.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(
            () -> {
              ContainerStatus app = Pods.container(cluster.client, "kept", "app").orElseThrow();
              return ids(keptUid).equals(keptContainers)
                  && running(keptUid).size() == 2
                  && app.getContainerID().equals(keptContainerId)
                  && app.getRestartCount() == 0
                  && "Running".equals(Pods.phase(cluster.client, "kept"));
            });
    assertThat(
            docker.list(Map.of(PodContainers.POD_UID, keptUid)).stream()
                .map(c -> c.labels().get(PodContainers.CONTAINER))
                .sorted()
                .toList())
        .containsExactly(PodContainers.SANDBOX, "app");

    // The new agent probes the adopted container: readiness follows the file it checks.
    Pods.run(second.runtime(), node, "kept", "app", "rm", "/ready");
    await().atMost(Duration.ofSeconds(10)).until(() -> !Pods.ready(cluster.client, "kept"));
    Pods.run(second.runtime(), node, "kept", "app", "touch", "/ready");
    await().atMost(Duration.ofSeconds(10)).until(() -> Pods.ready(cluster.client, "kept"));
    assertThat(Pods.container(cluster.client, "kept", "app").orElseThrow().getRestartCount())
        .isZero();
    assertThat(ids(keptUid)).isEqualTo(keptContainers);
  }

  @Test
  void theNewAgentRemovesTheContainersOfAPodDeletedWhileItWasDown() {
    // Its housekeeping runs every 10 s, once the new agent knows its pods.
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> docker.list(Map.of(PodContainers.POD_UID, orphanUid)).isEmpty());
    assertThat(running(keptUid)).hasSize(2);
  }

  private static String pod(String name) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: keelson/busybox:1
            command: [sh, -c, "touch /ready; while true; do sleep 1; done"]
            readinessProbe:
              exec: {command: [cat, /ready]}
              periodSeconds: 1
              failureThreshold: 1
        """
        .formatted(name, node);
  }

  private static Set<String> ids(String uid) {
    return docker.list(Map.of(PodContainers.POD_UID, uid)).stream()
        .map(RuntimeContainer::id)
        .collect(Collectors.toSet());
  }

  private static List<RuntimeContainer> running(String uid) {
    return docker.list(Map.of(PodContainers.POD_UID, uid)).stream()
        .filter(c -> c.state() == RuntimeContainer.State.RUNNING)
        .toList();
  }
}
