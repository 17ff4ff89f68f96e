package dev.keelson.nodeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.nodeagent.pod.ConfigSource;
import dev.keelson.nodeagent.pod.RestartBackoff;
import dev.keelson.nodeagent.probe.Prober;
import dev.keelson.nodeagent.runtime.simulated.SimulatedRuntime;
import dev.keelson.nodeagent.service.ServiceTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pod worker on the simulated runtime, with the statuses it writes recorded: the sequences of
 * container states a user sees, at a tenth of upstream's back-offs.
 */
class PodWorkerTest {

  @TempDir Path dir;
  private final SimulatedRuntime runtime =
      new SimulatedRuntime(Duration.ofMillis(200), Clock.systemUTC());
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<ObjectNode> statuses = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    timer.shutdownNow();
    workers.shutdownNow();
  }

  private PodWorker worker(ObjectNode pod) {
    PodWorker[] self = new PodWorker[1];
    PodApi api =
        new PodApi() {
          @Override
          public void writeStatus(String namespace, String name, ObjectNode status) {
            statuses.add(status);
            // As the watch does: the pod, with the status just written, comes back soon after.
            timer.schedule(
                () -> {
                  ObjectNode back = pod.deepCopy();
                  back.set("status", status);
                  self[0].update(back);
                },
                20,
                java.util.concurrent.TimeUnit.MILLISECONDS);
          }

          @Override
          public void annotate(String namespace, String name, String key, String value) {}

          @Override
          public void remove(String namespace, String name, String uid) {}

          @Override
          public void event(JsonNode about, String type, String reason, String message) {
            events.add(type + " " + reason + " " + message);
          }
        };
    ConfigSource none =
        new ConfigSource() {
          @Override
          public Optional<Map<String, String>> configMap(String namespace, String name) {
            return Optional.empty();
          }

          @Override
          public Optional<Map<String, String>> secret(String namespace, String name) {
            return Optional.empty();
          }
        };
    RestartBackoff restarts = RestartBackoff.standard().scaled(10);
    PodContext context =
        new PodContext(
            "node-a",
            "127.0.0.1",
            "keelson/busybox:1",
            dir,
            runtime,
            "simulated",
            api,
            none,
            () -> ServiceTable.EMPTY,
            new Prober(runtime),
            restarts,
            restarts.copy(),
            Clock.systemUTC(),
            Duration.ofSeconds(1),
            workers,
            timer);
    PodWorker worker = new PodWorker(context, pod);
    self[0] = worker;
    worker.kick();
    return worker;
  }

  private static ObjectNode pod(String image, String args) throws Exception {
    return (ObjectNode)
        Json.mapper()
            .readTree(
                ("{'metadata':{'name':'p','namespace':'default','uid':'u1'},'spec':{'nodeName':'node-a',"
                        + "'containers':[{'name':'main','image':'%s','args':%s}]},'status':{}}")
                    .formatted(image, args)
                    .replace('\'', '"'));
  }

  private List<String> reasons() {
    return statuses.stream()
        .map(s -> s.path("containerStatuses").path(0).path("state").path("waiting").path("reason"))
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText)
        .distinct()
        .toList();
  }

  @Test
  void aMissingImageIsErrImagePullThenImagePullBackOff() throws Exception {
    worker(pod("keelson/missing:1", "[\"sleep\"]"));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(reasons()).contains("ErrImagePull", "ImagePullBackOff"));
    assertThat(reasons().indexOf("ErrImagePull")).isLessThan(reasons().indexOf("ImagePullBackOff"));
    assertThat(events).anyMatch(e -> e.startsWith("Warning Failed Failed to pull image"));
  }

  @Test
  void aContainerThatExitsCrashLoopsWithAGrowingRestartCount() throws Exception {
    worker(pod("keelson/busybox:1", "[\"exit=1\"]"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        statuses
                            .get(statuses.size() - 1)
                            .path("containerStatuses")
                            .path(0)
                            .path("restartCount")
                            .asInt())
                    .isGreaterThanOrEqualTo(3));
    assertThat(reasons()).contains("CrashLoopBackOff");
    // The kubelet's story of it, as kubectl describe shows it.
    assertThat(events)
        .contains(
            "Normal Pulled Container image \"keelson/busybox:1\" already present on machine",
            "Normal Created Created container: main",
            "Normal Started Started container main")
        .anyMatch(e -> e.startsWith("Warning BackOff Back-off restarting failed container main"));
  }
}
