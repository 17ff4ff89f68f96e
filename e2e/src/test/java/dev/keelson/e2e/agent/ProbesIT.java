package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.nodeagent.pod.RestartBackoff;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes as the kubelet runs them: a failing liveness probe restarts the container (after the
 * probe's own grace period), a failing readiness probe only takes Ready away, readiness follows the
 * container's state, and a startup probe holds liveness back until it passed.
 */
@Timeout(120)
class ProbesIT {

  @TempDir static Path dir;
  static Cluster cluster;
  static AgentProcess agent;
  static String node;

  @BeforeAll
  static void start() throws Exception {
    Engine.require();
    cluster = Cluster.start(dir);
    node = Cluster.uniqueNode("probes");
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
  void aFailingLivenessProbeRestartsTheContainerAfterTheProbesGracePeriod() {
    // Nothing listens on 8080; the pod's 30 s of grace would outlast the wait below, the probe's
    // own 1 s does not.
    Pods.create(
        cluster.client,
        pod(
            "liveness",
            30,
            """
                livenessProbe:
                  httpGet: {port: 8080, path: /}
                  periodSeconds: 1
                  failureThreshold: 1
                  terminationGracePeriodSeconds: 1
            """));
    ContainerStatus status =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> Pods.container(cluster.client, "liveness", "app").orElse(null),
                s -> s != null && s.getRestartCount() >= 1);
    // sh as PID 1 ignores SIGTERM: SIGKILL ended it.
    assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
  }

  @Test
  void aFailingReadinessProbeOnlyTakesReadyAway() {
    Pods.create(
        cluster.client,
        pod(
            "unready",
            1,
            """
                readinessProbe:
                  exec: {command: ["false"]}
                  periodSeconds: 1
                  failureThreshold: 1
            """));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Running".equals(Pods.phase(cluster.client, "unready")));
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(
            () -> {
              Pod pod = Pods.get(cluster.client, "unready");
              ContainerStatus app = PodHistory.status(pod, "app");
              return app.getState().getRunning() != null
                  && !app.getReady()
                  && app.getStarted()
                  && app.getRestartCount() == 0
                  && condition(pod, "Ready").equals("False")
                  && condition(pod, "ContainersReady").equals("False")
                  && "Running".equals(pod.getStatus().getPhase());
            });
  }

  @Test
  void readinessFollowsAFileInTheContainer() {
    Pods.create(
        cluster.client,
        pod(
            "ready-file",
            1,
            """
                readinessProbe:
                  exec: {command: [cat, /tmp/ready]}
                  periodSeconds: 1
                  failureThreshold: 1
            """));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Running".equals(Pods.phase(cluster.client, "ready-file")));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !Pods.ready(cluster.client, "ready-file"));

    Pods.run(agent.runtime(), node, "ready-file", "app", "touch", "/tmp/ready");
    await().atMost(Duration.ofSeconds(10)).until(() -> Pods.ready(cluster.client, "ready-file"));
    assertThat(Pods.container(cluster.client, "ready-file", "app").orElseThrow().getReady())
        .isTrue();

    Pods.run(agent.runtime(), node, "ready-file", "app", "rm", "/tmp/ready");
    await().atMost(Duration.ofSeconds(10)).until(() -> !Pods.ready(cluster.client, "ready-file"));
    assertThat(Pods.container(cluster.client, "ready-file", "app").orElseThrow().getRestartCount())
        .isZero();
  }

  @Test
  void aStartupProbeHoldsLivenessBackUntilItPasses() {
    Pods.create(
        cluster.client,
        pod(
            "slow-start",
            1,
            """
                startupProbe:
                  exec: {command: [cat, /started]}
                  periodSeconds: 1
                  failureThreshold: 60
                livenessProbe:
                  exec: {command: [cat, /tmp/alive]}
                  periodSeconds: 1
                  failureThreshold: 1
            """));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Running".equals(Pods.phase(cluster.client, "slow-start")));
    // Liveness would fail at once: it does not run while the startup probe has not passed.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(() -> heldBack("slow-start", 0));

    Pods.run(agent.runtime(), node, "slow-start", "app", "touch", "/started");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                Pods.container(cluster.client, "slow-start", "app").orElseThrow().getRestartCount()
                    == 1);
    // /started was in the instance's own filesystem: the new one is held back again.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(() -> heldBack("slow-start", 1));
  }

  @Test
  void probesGoOnWhileAnotherContainerOfThePodBacksOff() {
    Pods.create(
        cluster.client,
        pod(
                "mixed",
                1,
                """
                    readinessProbe:
                      exec: {command: [cat, /tmp/ready]}
                      periodSeconds: 1
                      failureThreshold: 1
                """)
            + """
              - name: crasher
                image: keelson/busybox:1
                command: [sh, -c, "exit 1"]
            """);
    // Scaled tenfold, the fifth failure waits 8 s before the next restart.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Pods.container(cluster.client, "mixed", "crasher")
                    .map(s -> s.getState().getWaiting())
                    .map(w -> w.getMessage() != null && w.getMessage().startsWith("back-off 8s"))
                    .orElse(false));
    Pods.run(agent.runtime(), node, "mixed", "app", "touch", "/tmp/ready");
    await()
        .atMost(Duration.ofSeconds(4))
        .until(() -> Pods.container(cluster.client, "mixed", "app").orElseThrow().getReady());
    assertThat(Pods.container(cluster.client, "mixed", "crasher").orElseThrow().getState())
        .satisfies(s -> assertThat(s.getWaiting().getReason()).isEqualTo("CrashLoopBackOff"));
  }

  private boolean heldBack(String pod, int restarts) {
    ContainerStatus app = Pods.container(cluster.client, pod, "app").orElseThrow();
    return app.getRestartCount() == restarts
        && !app.getStarted()
        && !app.getReady()
        && (app.getState().getRunning() != null || app.getState().getWaiting() != null);
  }

  private static String condition(Pod pod, String type) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(PodCondition::getStatus)
        .findFirst()
        .orElse("");
  }

  private static String pod(String name, int grace, String probes) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: %d
          volumes: [{name: tmp, emptyDir: {}}]
          containers:
          - name: app
            image: keelson/busybox:1
            command: [sh, -c, "while true; do sleep 1; done"]
            volumeMounts: [{name: tmp, mountPath: /tmp}]
        %s"""
        .formatted(name, node, grace, probes);
  }
}
