package dev.keelson.nodeagent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.SandboxSpec;
import dev.keelson.nodeagent.runtime.docker.DockerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Probes against a pod of the real Docker engine: a sandbox and a container serving busybox httpd
 * on 8080, probed by exec inside it and by HTTP and TCP from the node to the sandbox's IP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProberIT {

  private static final String IMAGE = "keelson/busybox:1";
  private static final JsonNode CONTAINER =
      Json.parseObject("{\"name\":\"web\",\"ports\":[{\"name\":\"http\",\"containerPort\":8080}]}");

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private DockerRuntime runtime;
  private Prober prober;
  private String web;
  private String podIp;

  @BeforeAll
  void runPod() {
    try {
      runtime = DockerRuntime.connect();
      runtime.version();
    } catch (RuntimeException e) {
      runtime = null;
      assertThat(System.getenv("CI"))
          .as("a Docker engine is required with CI=true")
          .isNotEqualTo("true");
      return;
    }
    assertThat(runtime.hasImage(IMAGE)).as("docker/build-images builds " + IMAGE).isTrue();
    Map<String, String> labels = Map.of("test.keelson.dev/run", run);
    String sandbox =
        runtime.runSandbox(
            new SandboxSpec("keelson-probe-" + run + "-sandbox", IMAGE, labels, List.of()));
    web =
        runtime.createContainer(
            sandbox,
            new ContainerSpec(
                "keelson-probe-" + run + "-web",
                IMAGE,
                List.of("/bin/sh", "-c"),
                List.of(
                    "mkdir -p /www && echo up > /www/index.html && exec httpd -f -p 8080 -h /www"),
                "/",
                Map.of(),
                labels,
                null,
                null,
                List.of()));
    runtime.start(web);
    podIp = runtime.inspect(sandbox).orElseThrow().ip();
    assertThat(podIp).as("the sandbox's IP").isNotEmpty();
    prober = new Prober(runtime);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> probe("{\"tcpSocket\":{\"port\":8080}}").success());
  }

  @AfterAll
  void removePod() {
    if (runtime != null) {
      runtime.list(Map.of("test.keelson.dev/run", run)).forEach(c -> runtime.remove(c.id()));
      assertThat(runtime.list(Map.of("test.keelson.dev/run", run))).isEmpty();
      runtime.close();
    }
  }

  @BeforeEach
  void needsDocker() {
    Assumptions.assumeTrue(runtime != null, "no Docker engine");
  }

  private ProbeOutcome probe(String probe) {
    return prober.probe(ProbeSpec.parse(Json.parseObject(probe)), podIp, web, CONTAINER);
  }

  @Test
  void execSucceedsOnExitZeroAndFailsWithTheOutputOtherwise() {
    assertThat(probe("{\"exec\":{\"command\":[\"/bin/sh\",\"-c\",\"test -f /www/index.html\"]}}"))
        .isEqualTo(new ProbeOutcome(true, ""));
    ProbeOutcome sick =
        probe("{\"exec\":{\"command\":[\"/bin/sh\",\"-c\",\"echo sick; exit 3\"]}}");
    assertThat(sick.success()).isFalse();
    assertThat(sick.message()).isEqualTo("sick\n");
  }

  @Test
  void execThatOutlivesItsTimeoutFails() {
    long start = System.nanoTime();
    ProbeOutcome slow = probe("{\"exec\":{\"command\":[\"sleep\",\"5\"]},\"timeoutSeconds\":1}");
    assertThat(slow).isEqualTo(new ProbeOutcome(false, "command \"sleep 5\" timed out"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void httpGetSucceedsOnAFileAndFailsOnA404() {
    assertThat(probe("{\"httpGet\":{\"port\":8080,\"path\":\"/index.html\"}}"))
        .isEqualTo(new ProbeOutcome(true, "up\n"));
    assertThat(probe("{\"httpGet\":{\"port\":8080,\"path\":\"/missing\"}}"))
        .isEqualTo(new ProbeOutcome(false, "HTTP probe failed with statuscode: 404"));
  }

  @Test
  void httpGetFindsANamedPortAndFailsOnAnUndeclaredOne() {
    assertThat(probe("{\"httpGet\":{\"port\":\"http\",\"path\":\"/\"}}").success()).isTrue();
    assertThat(probe("{\"httpGet\":{\"port\":\"admin\"}}"))
        .isEqualTo(new ProbeOutcome(false, "couldn't find port: admin in container \"web\""));
  }

  @Test
  void tcpSocketSucceedsOnTheServedPortAndFailsOnAClosedOne() {
    assertThat(probe("{\"tcpSocket\":{\"port\":\"http\"}}")).isEqualTo(new ProbeOutcome(true, ""));
    assertThat(probe("{\"tcpSocket\":{\"port\":8081}}"))
        .isEqualTo(
            new ProbeOutcome(false, "dial tcp " + podIp + ":8081: connect: connection refused"));
  }
}
