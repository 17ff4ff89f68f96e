package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.pod.RestartBackoff;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart policy and the crash-loop back-off, as the kubelet applies them: a container that
 * keeps failing restarts at once the first time, then after 10 s, 20 s, 40 s... (here also scaled
 * down tenfold), shown as CrashLoopBackOff; OnFailure leaves a success alone, Never a failure.
 */
@Timeout(120)
class CrashLoopIT {

  @TempDir static Path dir;
  static Cluster cluster;
  static AgentProcess agent;
  static String node;

  @BeforeAll
  static void start() throws Exception {
    Engine.require();
    cluster = Cluster.start(dir);
    node = Cluster.uniqueNode("crash");
    agent = cluster.agent(node, s -> s.withRestarts(RestartBackoff.standard().scaled(10)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.removePods(node);
      cluster.close();
    }
  }

  @Test
  void aFailingContainerRestartsWithADoublingBackOff() {
    try (PodHistory history = PodHistory.of(cluster.client, "crash")) {
      String uid =
          Pods.create(cluster.client, failing("crash", node, "Always", 1)).getMetadata().getUid();
      // Scaled tenfold: restarts at once, then 1 s, 2 s and 4 s after each failure.
      Map<Integer, RuntimeContainer> attempts = attempts(agent.runtime(), uid, 4);
      assertThat(gap(attempts, 0)).isLessThan(Duration.ofMillis(2500));
      assertThat(gap(attempts, 1)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(3500));
      assertThat(gap(attempts, 2)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(4500));
      assertThat(gap(attempts, 3)).isBetween(Duration.ofMillis(4000), Duration.ofMillis(6500));
      assertThat(gap(attempts, 3)).isGreaterThan(gap(attempts, 2));
      assertThat(gap(attempts, 2)).isGreaterThan(gap(attempts, 1));

      ContainerStatus status =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> Pods.container(cluster.client, "crash", "app").orElse(null),
                  s -> s != null && s.getRestartCount() >= 4 && s.getState().getWaiting() != null);
      assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
      ContainerStateTerminated last = status.getLastState().getTerminated();
      assertThat(last.getExitCode()).isEqualTo(1);
      assertThat(last.getReason()).isEqualTo("Error");
      assertThat(status.getReady()).isFalse();
      assertThat(Pods.phase(cluster.client, "crash")).isEqualTo("Running");

      List<String> messages =
          history.waiting("app").stream()
              .filter(w -> "CrashLoopBackOff".equals(w.getReason()))
              .map(ContainerStateWaiting::getMessage)
              .distinct()
              .toList();
      String pod = "pod=crash_default(" + uid + ")";
      assertThat(messages)
          .contains(
              "back-off 1s restarting failed container=app " + pod,
              "back-off 2s restarting failed container=app " + pod,
              "back-off 4s restarting failed container=app " + pod);
      assertThat(history.restartCounts("app")).isSorted().contains(1, 2, 3);
    }
  }

  @Test
  void onFailureLeavesASuccessAlone() {
    Pods.create(cluster.client, failing("done", node, "OnFailure", 0));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Succeeded".equals(Pods.phase(cluster.client, "done")));
    ContainerStatus status = Pods.container(cluster.client, "done", "app").orElseThrow();
    assertThat(status.getState().getTerminated().getExitCode()).isZero();
    assertThat(status.getState().getTerminated().getReason()).isEqualTo("Completed");
    // No restart follows: one instance of the container, and the phase holds.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                "Succeeded".equals(Pods.phase(cluster.client, "done"))
                    && Pods.container(cluster.client, "done", "app").orElseThrow().getRestartCount()
                        == 0);
    assertThat(instances(agent.runtime(), "done", "app")).hasSize(1);
  }

  @Test
  void neverLeavesAFailureFailed() {
    Pods.create(cluster.client, failing("broken", node, "Never", 1));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Failed".equals(Pods.phase(cluster.client, "broken")));
    ContainerStatus status = Pods.container(cluster.client, "broken", "app").orElseThrow();
    assertThat(status.getState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(status.getState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(status.getRestartCount()).isZero();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> "Failed".equals(Pods.phase(cluster.client, "broken")));
    assertThat(instances(agent.runtime(), "broken", "app")).hasSize(1);
  }

  /** Upstream's figures unscaled: the first restart at once, the second 10 s after a failure. */
  @Test
  void theRealBackOffWaitsTenSecondsBeforeTheSecondRestart() throws Exception {
    String realNode = Cluster.uniqueNode("crash-real");
    AgentProcess real = cluster.agent(realNode, s -> s);
    try (PodHistory history = PodHistory.of(cluster.client, "crash-real")) {
      Pod pod = Pods.create(cluster.client, failing("crash-real", realNode, "Always", 1));
      String uid = pod.getMetadata().getUid();
      Map<Integer, RuntimeContainer> attempts = attempts(real.runtime(), uid, 2);
      assertThat(gap(attempts, 0)).isLessThan(Duration.ofMillis(2500));
      assertThat(gap(attempts, 1)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(13));
      assertThat(history.waiting("app"))
          .anySatisfy(
              w -> {
                assertThat(w.getReason()).isEqualTo("CrashLoopBackOff");
                assertThat(w.getMessage())
                    .isEqualTo(
                        "back-off 10s restarting failed container=app pod=crash-real_default("
                            + uid
                            + ")");
              });
    } finally {
      cluster
          .client
          .pods()
          .inNamespace("default")
          .withName("crash-real")
          .withGracePeriod(0)
          .delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> real.runtime().list(Map.of(PodContainers.NODE, realNode)).isEmpty());
    }
  }

  private static String failing(String name, String node, String policy, int exit) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          nodeName: %s
          restartPolicy: %s
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: keelson/busybox:1
            command: [sh, -c, "exit %d"]
        """
        .formatted(name, node, policy, exit);
  }

  /**
   * The instances of the pod's container by attempt, watched until attempt {@code last} started:
   * the agent keeps only the newest two, so they are read as they come.
   */
  private static Map<Integer, RuntimeContainer> attempts(
      ContainerRuntime runtime, String uid, int last) {
    Map<Integer, RuntimeContainer> seen = new TreeMap<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (RuntimeContainer c : runtime.list(Map.of(PodContainers.POD_UID, uid))) {
                String attempt = c.labels().get("keelson.dev/attempt");
                if (attempt != null && c.startedAt() != null) {
                  seen.merge(
                      Integer.parseInt(attempt),
                      c,
                      (old, now) -> now.finishedAt() != null ? now : old);
                }
              }
              return seen.containsKey(last)
                  && java.util.stream.IntStream.range(0, last)
                      .allMatch(i -> seen.containsKey(i) && seen.get(i).finishedAt() != null);
            });
    return seen;
  }

  /** From the end of attempt {@code n} to the start of the next. */
  private static Duration gap(Map<Integer, RuntimeContainer> attempts, int n) {
    Instant finished = attempts.get(n).finishedAt();
    Instant next = attempts.get(n + 1).startedAt();
    return Duration.between(finished, next);
  }

  private List<RuntimeContainer> instances(ContainerRuntime runtime, String pod, String container) {
    return runtime.list(
        Map.of(
            PodContainers.NODE, node,
            PodContainers.POD_NAME, pod,
            PodContainers.CONTAINER, container));
  }
}
