package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.pod.RestartBackoff;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods that cannot run say why (a missing image, a command that is not there, a volume source the
 * node has not, a host port taken) while the agent goes on running the healthy pod beside them;
 * init containers run in order before the containers, and a failed one fails a pod that never
 * restarts.
 */
@Timeout(120)
class BadPodsIT {

  @TempDir static Path dir;
  static Cluster cluster;
  static AgentProcess agent;
  static String node;
  static String healthyContainerId;

  @BeforeAll
  static void start() throws Exception {
    Engine.require();
    cluster = Cluster.start(dir);
    node = Cluster.uniqueNode("bad");
    agent = cluster.agent(node, s -> s.withRestarts(RestartBackoff.standard().scaled(10)));
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: healthy}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: keelson/busybox:1
            command: [sh, -c, "while true; do sleep 1; done"]
            readinessProbe:
              exec: {command: ["true"]}
              periodSeconds: 1
        """
            .formatted(node));
    await().atMost(Duration.ofSeconds(60)).until(() -> Pods.ready(cluster.client, "healthy"));
    healthyContainerId =
        Pods.container(cluster.client, "healthy", "app").orElseThrow().getContainerID();
  }

  @AfterEach
  void theHealthyPodRunsOnUntouched() {
    ContainerStatus app = Pods.container(cluster.client, "healthy", "app").orElseThrow();
    assertThat(Pods.ready(cluster.client, "healthy")).isTrue();
    assertThat(app.getContainerID()).isEqualTo(healthyContainerId);
    assertThat(app.getRestartCount()).isZero();
    assertThat(app.getState().getRunning()).isNotNull();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.removePods(node);
      cluster.close();
    }
  }

  @Test
  void aMissingImageIsErrImagePullThenImagePullBackOff() {
    try (PodHistory history = PodHistory.of(cluster.client, "no-image")) {
      Pods.create(cluster.client, pod("no-image", "keelson/none:1", "[sh, -c, 'sleep 3600']"));
      await()
          .atMost(Duration.ofSeconds(8))
          .until(
              () -> {
                System.err.println(
                    "DEBUG " + java.time.Instant.now() + " " + history.waiting("app"));
                return history.waitingReasons("app").contains("ImagePullBackOff");
              });
      // As upstream, the failed pull shows as such for a while before the back-off does.
      List<String> reasons = history.waitingReasons("app");
      assertThat(reasons).contains("ErrImagePull");
      assertThat(reasons.indexOf("ErrImagePull")).isLessThan(reasons.indexOf("ImagePullBackOff"));
      ContainerStateWaiting pull =
          history.waiting("app").stream()
              .filter(w -> w.getReason().equals("ErrImagePull"))
              .findFirst()
              .orElseThrow();
      assertThat(pull.getMessage()).contains("\"keelson/none:1\"");
      ContainerStateWaiting backOff =
          history.waiting("app").stream()
              .filter(w -> w.getReason().equals("ImagePullBackOff"))
              .findFirst()
              .orElseThrow();
      assertThat(backOff.getMessage()).isEqualTo("Back-off pulling image \"keelson/none:1\"");
      assertThat(Pods.phase(cluster.client, "no-image")).isEqualTo("Pending");
    }
  }

  @Test
  void aCommandThatIsNotThereIsARunContainerErrorAndThenACrashLoop() {
    Pods.create(cluster.client, pod("bad-command", "keelson/busybox:1", "[/nope]"));
    ContainerStateWaiting waiting = waitingFor("bad-command", "RunContainerError");
    assertThat(waiting.getMessage()).contains("/nope");
    // As upstream: the container ended without running, and restartPolicy Always restarts it.
    waitingFor("bad-command", "CrashLoopBackOff");
    ContainerStatus status = Pods.container(cluster.client, "bad-command", "app").orElseThrow();
    assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("ContainerCannotRun");
    assertThat(status.getLastState().getTerminated().getMessage()).contains("/nope");
    assertThat(status.getLastState().getTerminated().getExitCode()).isNotZero();
    assertThat(Pods.phase(cluster.client, "bad-command")).isEqualTo("Running");
  }

  @Test
  void aCommandThatIsNotThereFailsAPodThatNeverRestarts() {
    Pods.create(
        cluster.client,
        pod("bad-once", "keelson/busybox:1", "[/nope]")
            .replace("containers:", "restartPolicy: Never\n  containers:"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Failed".equals(Pods.phase(cluster.client, "bad-once")));
    ContainerStatus status = Pods.container(cluster.client, "bad-once", "app").orElseThrow();
    assertThat(status.getState().getTerminated().getReason()).isEqualTo("ContainerCannotRun");
    assertThat(status.getRestartCount()).isZero();
  }

  @Test
  void aVolumeSourceTheNodeHasNotIsAConfigError() {
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: pvc}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
          containers:
          - name: app
            image: keelson/busybox:1
            command: [sh, -c, "sleep 3600"]
            volumeMounts: [{name: data, mountPath: /data}]
        """
            .formatted(node));
    ContainerStateWaiting waiting = waitingFor("pvc", "CreateContainerConfigError");
    assertThat(waiting.getMessage()).contains("\"data\"").contains("persistentVolumeClaim");
    assertThat(Pods.phase(cluster.client, "pvc")).isEqualTo("Pending");
  }

  @Test
  void aHostPortTakenByAnotherPodFailsTheSecondSandbox() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String ports =
        "    ports: [{containerPort: 8080, hostPort: %d, hostIP: 127.0.0.1}]\n".formatted(port);
    Pods.create(
        cluster.client, pod("port-a", "keelson/busybox:1", "[sh, -c, 'sleep 3600']") + ports);
    await().atMost(Duration.ofSeconds(30)).until(() -> Pods.ready(cluster.client, "port-a"));
    String first = Pods.container(cluster.client, "port-a", "app").orElseThrow().getContainerID();

    Pods.create(
        cluster.client, pod("port-b", "keelson/busybox:1", "[sh, -c, 'sleep 3600']") + ports);
    ContainerStateWaiting waiting = waitingFor("port-b", "CreatePodSandboxError");
    assertThat(waiting.getMessage()).contains("port is already allocated");
    assertThat(Pods.phase(cluster.client, "port-b")).isEqualTo("Pending");
    assertThat(Pods.ready(cluster.client, "port-a")).isTrue();
    assertThat(Pods.container(cluster.client, "port-a", "app").orElseThrow().getContainerID())
        .isEqualTo(first);
  }

  @Test
  void initContainersRunInOrderBeforeTheContainers() {
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: init-order}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          volumes: [{name: work, emptyDir: {}}]
          initContainers:
          - name: first
            image: keelson/busybox:1
            command: [sh, -c, "sleep 1; echo one >> /work/order"]
            volumeMounts: [{name: work, mountPath: /work}]
          - name: second
            image: keelson/busybox:1
            command: [sh, -c, "echo two >> /work/order"]
            volumeMounts: [{name: work, mountPath: /work}]
          containers:
          - name: app
            image: keelson/busybox:1
            command: [sh, -c, "echo main >> /work/order; sleep 3600"]
            volumeMounts: [{name: work, mountPath: /work}]
        """
            .formatted(node));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Running".equals(Pods.phase(cluster.client, "init-order")));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> Pods.exec(agent.runtime(), node, "init-order", "app", "cat", "/work/order"),
            "one\ntwo\nmain\n"::equals);
    Pod pod = Pods.get(cluster.client, "init-order");
    assertThat(pod.getStatus().getInitContainerStatuses())
        .extracting(s -> s.getName(), s -> s.getState().getTerminated().getReason())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("first", "Completed"),
            org.assertj.core.groups.Tuple.tuple("second", "Completed"));
    assertThat(pod.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Initialized");
              assertThat(c.getStatus()).isEqualTo("True");
            });
  }

  @Test
  void aFailedInitContainerFailsAPodThatNeverRestarts() {
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: init-fails}
        spec:
          nodeName: %s
          restartPolicy: Never
          terminationGracePeriodSeconds: 1
          initContainers:
          - name: setup
            image: keelson/busybox:1
            command: [sh, -c, "exit 3"]
          containers:
          - name: app
            image: keelson/busybox:1
            command: [sh, -c, "sleep 3600"]
        """
            .formatted(node));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Failed".equals(Pods.phase(cluster.client, "init-fails")));
    Pod pod = Pods.get(cluster.client, "init-fails");
    ContainerStateTerminated setup =
        pod.getStatus().getInitContainerStatuses().get(0).getState().getTerminated();
    assertThat(setup.getExitCode()).isEqualTo(3);
    assertThat(setup.getReason()).isEqualTo("Error");
    assertThat(PodHistory.status(pod, "app").getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    // The container never ran.
    assertThat(
            agent
                .runtime()
                .list(
                    Map.of(
                        PodContainers.POD_UID,
                        pod.getMetadata().getUid(),
                        PodContainers.CONTAINER,
                        "app")))
        .isEmpty();
  }

  private ContainerStateWaiting waitingFor(String pod, String reason) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Pods.container(cluster.client, pod, "app")
                    .map(s -> s.getState().getWaiting())
                    .orElse(null),
            w -> w != null && reason.equals(w.getReason()));
  }

  private static String pod(String name, String image, String command) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: %s
            command: %s
        """
        .formatted(name, node, image, command);
  }
}
