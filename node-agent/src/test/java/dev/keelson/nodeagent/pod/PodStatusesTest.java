package dev.keelson.nodeagent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodStatusesTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
  private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");

  private static JsonNode pod(String restartPolicy) throws Exception {
    return Json.mapper()
        .readTree(
            "{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\",\"uid\":\"u\"},"
                + "\"spec\":{\"restartPolicy\":\""
                + restartPolicy
                + "\",\"containers\":[{\"name\":\"app\",\"image\":\"img\"}]},\"status\":{}}");
  }

  private static RuntimeContainer instance(String id, RuntimeContainer.State state, Integer exit) {
    return new RuntimeContainer(
        id,
        "k8s_app",
        "img",
        "sha256:abc",
        Map.of(),
        state,
        exit,
        STARTED,
        state == RuntimeContainer.State.EXITED ? STARTED.plusSeconds(5) : null,
        List.of(),
        "");
  }

  private static ContainerView view(RuntimeContainer current, RuntimeContainer previous) {
    boolean running = current != null && current.state() == RuntimeContainer.State.RUNNING;
    return new ContainerView(
        "app", "img", current, previous, previous == null ? 0 : 1, null, null, running, running);
  }

  private static ObjectNode status(JsonNode pod, ContainerView view) {
    return PodStatuses.status(
        pod, List.of(), List.of(view), "172.17.0.5", "127.0.0.1", "docker", NOW);
  }

  @Test
  void aRunningReadyContainerMakesARunningReadyPod() throws Exception {
    ObjectNode status =
        status(pod("Always"), view(instance("c1", RuntimeContainer.State.RUNNING, null), null));
    assertThat(status.path("phase").asText()).isEqualTo("Running");
    assertThat(condition(status, "Ready")).isEqualTo("True");
    assertThat(condition(status, "ContainersReady")).isEqualTo("True");
    assertThat(condition(status, "Initialized")).isEqualTo("True");
    assertThat(condition(status, "PodScheduled")).isEqualTo("True");
    JsonNode container = status.path("containerStatuses").get(0);
    assertThat(container.path("state").path("running").path("startedAt").asText())
        .isEqualTo("2026-01-01T00:00:00Z");
    assertThat(container.path("containerID").asText()).isEqualTo("docker://c1");
    assertThat(container.path("imageID").asText()).isEqualTo("docker-pullable://sha256:abc");
    assertThat(status.path("podIP").asText()).isEqualTo("172.17.0.5");
    assertThat(status.path("hostIP").asText()).isEqualTo("127.0.0.1");
  }

  @Test
  void phaseFollowsTheRestartPolicyOnceContainersStopped() throws Exception {
    ContainerView failed = view(instance("c1", RuntimeContainer.State.EXITED, 1), null);
    ContainerView succeeded = view(instance("c1", RuntimeContainer.State.EXITED, 0), null);
    assertThat(status(pod("Never"), failed).path("phase").asText()).isEqualTo("Failed");
    assertThat(status(pod("Never"), succeeded).path("phase").asText()).isEqualTo("Succeeded");
    assertThat(status(pod("OnFailure"), succeeded).path("phase").asText()).isEqualTo("Succeeded");
    assertThat(status(pod("OnFailure"), failed).path("phase").asText()).isEqualTo("Running");
    assertThat(status(pod("Always"), succeeded).path("phase").asText()).isEqualTo("Running");
    assertThat(status(pod("Always"), view(null, null)).path("phase").asText()).isEqualTo("Pending");
  }

  @Test
  void aCrashLoopShowsWaitingWithTheLastTermination() throws Exception {
    RuntimeContainer exited = instance("c2", RuntimeContainer.State.EXITED, 1);
    ContainerView waiting =
        new ContainerView(
            "app", "img", exited, null, 3, "CrashLoopBackOff", "back-off 40s", false, false);
    JsonNode container = status(pod("Always"), waiting).path("containerStatuses").get(0);
    assertThat(container.path("state").path("waiting").path("reason").asText())
        .isEqualTo("CrashLoopBackOff");
    assertThat(container.path("lastState").path("terminated").path("exitCode").asInt())
        .isEqualTo(1);
    assertThat(container.path("lastState").path("terminated").path("reason").asText())
        .isEqualTo("Error");
    assertThat(container.path("restartCount").asInt()).isEqualTo(3);
    assertThat(container.path("ready").asBoolean()).isFalse();
  }

  @Test
  void conditionTimesCarryOverWhileTheyHoldSoAnUnchangedStatusIsEqual() throws Exception {
    JsonNode pod = pod("Always");
    ContainerView running = view(instance("c1", RuntimeContainer.State.RUNNING, null), null);
    ObjectNode first = status(pod, running);
    ((ObjectNode) pod).set("status", first);
    ObjectNode later =
        PodStatuses.status(
            pod,
            List.of(),
            List.of(running),
            "172.17.0.5",
            "127.0.0.1",
            "docker",
            NOW.plusSeconds(60));
    assertThat(later).isEqualTo(first);
    ContainerView notReady =
        new ContainerView("app", "img", running.current(), null, 0, null, null, false, true);
    ObjectNode changed =
        PodStatuses.status(
            pod,
            List.of(),
            List.of(notReady),
            "172.17.0.5",
            "127.0.0.1",
            "docker",
            NOW.plusSeconds(60));
    assertThat(condition(changed, "Ready")).isEqualTo("False");
    assertThat(transition(changed, "Ready")).isEqualTo("2026-01-01T00:11:00Z");
    assertThat(transition(changed, "PodScheduled")).isEqualTo("2026-01-01T00:10:00Z");
  }

  private static String condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c.path("status").asText();
      }
    }
    return null;
  }

  private static String transition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c.path("lastTransitionTime").asText();
      }
    }
    return null;
  }
}
