package dev.keelson.nodeagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.nodeagent.runtime.docker.DockerRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Docker runtime against the real engine and the locally built keelson/busybox image: a sandbox
 * publishes a port, containers share its network namespace, labels find them again.
 */
class DockerRuntimeIT {

  private static final String IMAGE = "keelson/busybox:1";

  private DockerRuntime runtime;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void connect() {
    try {
      runtime = DockerRuntime.connect();
      runtime.version();
    } catch (RuntimeException e) {
      runtime = null;
      assertThat(System.getenv("CI"))
          .as("a Docker engine is required with CI=true")
          .isNotEqualTo("true");
    }
  }

  @AfterEach
  void cleanUp() {
    if (runtime != null) {
      runtime.list(Map.of("test.keelson.dev/run", run)).forEach(c -> runtime.remove(c.id()));
      runtime.close();
    }
  }

  @Test
  void aSandboxPublishesItsPortAndItsContainersShareOneNetwork() throws Exception {
    if (runtime == null) {
      return;
    }
    assertThat(runtime.hasImage(IMAGE)).as("docker/build-images builds " + IMAGE).isTrue();
    assertThat(runtime.hasImage("keelson/never-built:0")).isFalse();
    Map<String, String> labels = Map.of("test.keelson.dev/run", run);
    String sandbox =
        runtime.runSandbox(
            new SandboxSpec(
                "keelson-test-" + run + "-sandbox",
                IMAGE,
                labels,
                List.of(new PortMapping(8080, "TCP", "127.0.0.1", 0))));
    String web =
        runtime.createContainer(
            sandbox,
            new ContainerSpec(
                "keelson-test-" + run + "-web",
                IMAGE,
                List.of("/bin/sh", "-c"),
                List.of(
                    "mkdir -p /www && echo \"$GREETING\" > /www/index.html && exec httpd -f -p 8080 -h /www"),
                "/",
                Map.of("GREETING", "hello from " + run),
                labels,
                64L * 1024 * 1024,
                500_000_000L,
                List.of()));
    runtime.start(web);

    PortMapping published = runtime.inspect(sandbox).orElseThrow().ports().get(0);
    assertThat(published.hostPort()).isPositive();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI page = URI.create("http://127.0.0.1:" + published.hostPort() + "/");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                        HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("hello from " + run));

    // A second container of the pod reaches the first on localhost: one network namespace.
    String client =
        runtime.createContainer(
            sandbox,
            new ContainerSpec(
                "keelson-test-" + run + "-client",
                IMAGE,
                List.of("/bin/sh", "-c"),
                List.of("wget -qO- http://127.0.0.1:8080/ | grep -q 'hello from'"),
                null,
                Map.of(),
                labels,
                null,
                null,
                List.of()));
    runtime.start(client);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> runtime.inspect(client).orElseThrow().state() == RuntimeContainer.State.EXITED);
    assertThat(runtime.inspect(client).orElseThrow().exitCode()).isZero();

    assertThat(runtime.list(labels))
        .extracting(RuntimeContainer::id)
        .containsExactlyInAnyOrder(sandbox, web, client);
    runtime.stop(sandbox, Duration.ofSeconds(5));
    RuntimeContainer stopped = runtime.inspect(sandbox).orElseThrow();
    assertThat(stopped.state()).isEqualTo(RuntimeContainer.State.EXITED);
    assertThat(stopped.exitCode()).as("the sandbox exits on SIGTERM, not SIGKILL").isZero();
    runtime.remove(web);
    assertThat(runtime.inspect(web)).isEmpty();
    runtime.remove(web);
  }
}
