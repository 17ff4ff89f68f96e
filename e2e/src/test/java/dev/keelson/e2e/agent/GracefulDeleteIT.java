package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful deletion as the kubelet does it: the pod object stays, with its deletionTimestamp, while
 * its containers get SIGTERM and their grace period; a container that ignores SIGTERM is killed
 * when the period ends; then the containers are removed and the agent deletes the pod object.
 */
@Timeout(120)
class GracefulDeleteIT {

  @TempDir static Path dir;
  static Cluster cluster;
  static AgentProcess agent;
  static String node;

  @BeforeAll
  static void start() throws Exception {
    Engine.require();
    cluster = Cluster.start(dir);
    node = Cluster.uniqueNode("graceful");
    agent = cluster.agent(node, s -> s);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.removePods(node);
      cluster.close();
    }
  }

  @Test
  void theContainerHandlesSigtermWhileThePodObjectStays() throws Exception {
    Path out = dir.resolve("term-out");
    String uid =
        Pods.create(
                cluster.client,
                """
                apiVersion: v1
                kind: Pod
                metadata: {name: trapper}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 10
                  volumes: [{name: out, hostPath: {path: %s, type: DirectoryOrCreate}}]
                  containers:
                  - name: app
                    image: keelson/busybox:1
                    command: [sh, -c, 'trap "echo got-term > /data/term; sleep 2; exit 0" TERM; while true; do sleep 1; done']
                    volumeMounts: [{name: out, mountPath: /data}]
                """
                    .formatted(node, out))
            .getMetadata()
            .getUid();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Running".equals(Pods.phase(cluster.client, "trapper")));

    Instant deleted = Instant.now();
    cluster.client.pods().inNamespace("default").withName("trapper").delete();
    Pod deleting = Pods.get(cluster.client, "trapper");
    assertThat(deleting).isNotNull();
    assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(deleting.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(10L);

    Path term = out.resolve("term");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(term));
    assertThat(Files.readString(term, StandardCharsets.UTF_8)).isEqualTo("got-term\n");
    // The trap still sleeps: the pod object waits for it.
    Pod stopping = Pods.get(cluster.client, "trapper");
    assertThat(stopping).isNotNull();
    assertThat(stopping.getMetadata().getUid()).isEqualTo(uid);

    await().atMost(Duration.ofSeconds(20)).until(() -> Pods.get(cluster.client, "trapper") == null);
    // Gone after the trap's 2 s, and well before the 10 s of grace: the container ended itself.
    assertThat(Duration.between(deleted, Instant.now()))
        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(9));
    assertThat(agent.runtime().list(Map.of(PodContainers.POD_UID, uid))).isEmpty();
  }

  @Test
  void aContainerThatIgnoresSigtermIsKilledWhenTheGracePeriodEnds() {
    String uid =
        Pods.create(
                cluster.client,
                """
                apiVersion: v1
                kind: Pod
                metadata: {name: stubborn}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: app
                    image: keelson/busybox:1
                    command: [sh, -c, 'trap "" TERM; while true; do sleep 1; done']
                """
                    .formatted(node))
            .getMetadata()
            .getUid();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Running".equals(Pods.phase(cluster.client, "stubborn")));
    RuntimeContainer app = Pods.running(agent.runtime(), node, "stubborn", "app").orElseThrow();

    Instant deleted = Instant.now();
    cluster.client.pods().inNamespace("default").withName("stubborn").delete();
    // SIGTERM changes nothing: it runs on through most of its grace period...
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(
            () ->
                agent
                    .runtime()
                    .inspect(app.id())
                    .map(c -> c.state() == RuntimeContainer.State.RUNNING)
                    .orElse(false));
    // ...and SIGKILL ends it when the period is over.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> Pods.get(cluster.client, "stubborn") == null);
    assertThat(Duration.between(deleted, Instant.now()))
        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(8));
    assertThat(agent.runtime().list(Map.of(PodContainers.POD_UID, uid))).isEmpty();
  }
}
