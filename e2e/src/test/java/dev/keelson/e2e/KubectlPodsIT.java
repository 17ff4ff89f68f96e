package dev.keelson.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.docker.DockerRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl against {@code keelson up} and the node agent it runs on this host's Docker engine: a
 * busybox httpd pod bound to the node becomes Ready, answers on its hostIP:hostPort, shows its
 * output to {@code kubectl logs}, and {@code kubectl delete} stops its containers.
 */
class KubectlPodsIT {

  @TempDir static Path dataDir;
  private static KeelsonProcess keelson;
  private static Kubectl kubectl;
  private static DockerRuntime docker;

  @BeforeAll
  static void up() throws Exception {
    try {
      docker = DockerRuntime.connect();
      docker.version();
    } catch (RuntimeException e) {
      docker = null;
      assertThat(System.getenv("CI"))
          .as("a Docker engine is required with CI=true")
          .isNotEqualTo("true");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(docker != null, "no Docker engine answers");
    keelson =
        KeelsonProcess.start(
            "up",
            "--data-dir",
            dataDir.toString(),
            "--kafka-listen",
            "127.0.0.1:" + KeelsonProcess.freePort(),
            "--health-listen",
            "127.0.0.1:" + KeelsonProcess.freePort(),
            "--listen",
            "127.0.0.1:" + KeelsonProcess.freePort());
    assertThat(keelson.awaitLine("Stop with Ctrl-C.", Duration.ofMinutes(3)))
        .as(keelson.output())
        .isTrue();
    kubectl = new Kubectl(dataDir.resolve("kubeconfig"));
    if (!kubectl.present()) {
      assertThat(System.getenv("CI")).as("kubectl is required with CI=true").isNotEqualTo("true");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(kubectl.present(), "no kubectl");
  }

  @AfterAll
  static void down() {
    if (keelson != null) {
      keelson.close();
    }
    if (docker != null) {
      docker
          .list(Map.of(PodContainers.POD_NAMESPACE, "default", PodContainers.POD_NAME, "web"))
          .forEach(c -> docker.remove(c.id()));
      docker.close();
    }
  }

  private static String ok(String... args) throws Exception {
    Kubectl.Result result = kubectl.run(args);
    assertThat(result.exit())
        .as("kubectl %s: %s", String.join(" ", args), result.output())
        .isZero();
    return result.output();
  }

  @Test
  void anHttpdPodRunsAnswersLogsAndStops() throws Exception {
    String node = ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").trim();
    assertThat(node).as(keelson.output()).isNotEmpty();
    ok("wait", "--for=condition=Ready", "node/" + node, "--timeout=60s");
    int hostPort = KeelsonProcess.freePort();
    Path manifest = dataDir.resolve("web.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 5
          containers:
          - name: httpd
            image: keelson/busybox:1
            command: [sh, -c, "mkdir -p /www && echo hello-from-keelson > /www/index.html && echo serving on 8080 && exec httpd -f -p 8080 -h /www"]
            ports: [{containerPort: 8080, hostPort: %d}]
            readinessProbe:
              httpGet: {path: /, port: 8080}
              periodSeconds: 1
        """
            .formatted(node, hostPort));
    ok("apply", "-f", manifest.toString());
    ok("wait", "--for=condition=Ready", "pod/web", "--timeout=90s");
    assertThat(ok("get", "pod", "web", "-o", "jsonpath={.status.phase} {.status.hostIP}"))
        .isEqualTo("Running 127.0.0.1");

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("hello-from-keelson");

    assertThat(ok("logs", "web")).contains("serving on 8080");
    assertThat(ok("logs", "web", "-c", "httpd", "--tail", "1")).contains("serving on 8080");

    assertThat(
            docker.list(
                Map.of(PodContainers.POD_NAMESPACE, "default", PodContainers.POD_NAME, "web")))
        .hasSize(2); // the sandbox and httpd
    ok("delete", "pod", "web", "--timeout=60s");
    assertThat(ok("get", "pods", "-o", "name")).doesNotContain("web");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                docker
                    .list(
                        Map.of(
                            PodContainers.POD_NAMESPACE, "default", PodContainers.POD_NAME, "web"))
                    .isEmpty());
  }
}
