package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.ResourceKey;
import dev.keelson.apiserver.security.Kubeconfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container metrics (metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics) live in the metrics topic,
 * not the change log; node agents write them, and kubectl top reads them as from metrics-server.
 */
class MetricsApiIT {

  private static final String POD_METRICS = "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods";
  private static final String NODE_METRICS = "/apis/metrics.k8s.io/v1beta1/nodes";

  @TempDir static Path dir;
  private static ApiFixture api;

  @BeforeAll
  static void start() throws Exception {
    api = ApiFixture.replicas(dir, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  private static String podMetrics(String name, String app, String cpu, String memory) {
    return "{\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"kind\":\"PodMetrics\","
        + "\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\"default\",\"labels\":{\"app\":\""
        + app
        + "\"}},\"timestamp\":\"2026-01-01T00:00:10Z\",\"window\":\"10s\","
        + "\"containers\":[{\"name\":\"main\",\"usage\":{\"cpu\":\""
        + cpu
        + "\",\"memory\":\""
        + memory
        + "\"}}]}";
  }

  @Test
  void podMetricsAreWrittenToTheMetricsTopicAndReadLikeAnyObject() throws Exception {
    HttpResponse<String> created =
        api.send("POST", POD_METRICS, podMetrics("web-1", "web", "450000000n", "12288Ki"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    ResourceKey key = ResourceKey.of("metrics.k8s.io", "PodMetrics", "default", "web-1");
    ApiFixture.Replica first = api.replicas.get(0);
    assertThat(first.metrics().get(key)).isPresent();
    assertThat(first.projection().get(key)).as("not in the change log").isEmpty();

    // An agent replaces its sample without knowing the version: a JSON patch, or a plain PUT.
    HttpResponse<String> patched =
        api.send(
            "PATCH",
            POD_METRICS + "/web-1",
            "[{\"op\":\"add\",\"path\":\"/containers\",\"value\":[{\"name\":\"main\","
                + "\"usage\":{\"cpu\":\"250000000n\",\"memory\":\"12288Ki\"}}]},"
                + "{\"op\":\"add\",\"path\":\"/timestamp\",\"value\":\"2026-01-01T00:00:20Z\"}]",
            "application/json-patch+json",
            api.token);
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    HttpResponse<String> throughOther =
        api.send(1, "GET", POD_METRICS + "/web-1", null, null, api.token);
    JsonNode read = ApiFixture.json(throughOther);
    assertThat(read.path("kind").asText()).isEqualTo("PodMetrics");
    assertThat(read.path("timestamp").asText()).isEqualTo("2026-01-01T00:00:20Z");
    assertThat(read.path("containers").get(0).path("usage").path("cpu").asText())
        .isEqualTo("250000000n");
    HttpResponse<String> replaced =
        api.send("PUT", POD_METRICS + "/web-1", podMetrics("web-1", "web", "300000000n", "1Mi"));
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);

    api.send("POST", POD_METRICS, podMetrics("db-1", "db", "1000000n", "1Mi"));
    JsonNode web = ApiFixture.json(api.send("GET", POD_METRICS + "?labelSelector=app%3Dweb", null));
    assertThat(web.path("kind").asText()).isEqualTo("PodMetricsList");
    assertThat(web.path("items"))
        .extracting(i -> i.path("metadata").path("name").asText())
        .containsExactly("web-1");
    JsonNode everywhere =
        ApiFixture.json(api.send("GET", "/apis/metrics.k8s.io/v1beta1/pods", null));
    assertThat(everywhere.path("items")).hasSize(2);

    assertThat(api.send("DELETE", POD_METRICS + "/db-1", null).statusCode()).isEqualTo(200);
    assertThat(api.send("GET", POD_METRICS + "/db-1", null).statusCode()).isEqualTo(404);
    assertThat(
            api.send(
                    "POST",
                    "/apis/metrics.k8s.io/v1beta1/namespaces/nowhere/pods",
                    podMetrics("x", "x", "1n", "1Ki").replace("\"default\"", "\"nowhere\""))
                .statusCode())
        .as("the namespace must exist, as for any namespaced object")
        .isEqualTo(404);
  }

  @Test
  void nodeMetricsAreClusterScoped() throws Exception {
    HttpResponse<String> created =
        api.send(
            "POST",
            NODE_METRICS,
            "{\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"kind\":\"NodeMetrics\","
                + "\"metadata\":{\"name\":\"node-a\"},\"timestamp\":\"2026-01-01T00:00:10Z\","
                + "\"window\":\"10s\",\"usage\":{\"cpu\":\"1500000000n\",\"memory\":\"2Gi\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(ApiFixture.json(created).path("metadata").has("namespace")).isFalse();
    assertThat(
            api.replicas
                .get(0)
                .metrics()
                .get(ResourceKey.of("metrics.k8s.io", "NodeMetrics", "", "node-a")))
        .isPresent();
    JsonNode got = ApiFixture.json(api.send("GET", NODE_METRICS + "/node-a", null));
    assertThat(got.path("usage").path("cpu").asText()).isEqualTo("1500000000n");
  }

  @Test
  void kubectlTopReadsPodAndNodeMetrics() throws Exception {
    assumeTrue(kubectlPresent(), "kubectl is not installed");
    api.send("POST", POD_METRICS, podMetrics("top-1", "top", "450000000n", "12288Ki"));
    api.send("POST", POD_METRICS, podMetrics("top-2", "top", "50000000n", "24Mi"));
    HttpResponse<String> node =
        api.send(
            "POST",
            "/api/v1/nodes",
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"top-node\"},"
                + "\"status\":{\"capacity\":{\"cpu\":\"4\",\"memory\":\"8Gi\",\"pods\":\"110\"},"
                + "\"allocatable\":{\"cpu\":\"4\",\"memory\":\"8Gi\",\"pods\":\"110\"}}}");
    assertThat(node.statusCode()).as(node.body()).isEqualTo(201);
    api.send(
        "POST",
        NODE_METRICS,
        "{\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"kind\":\"NodeMetrics\","
            + "\"metadata\":{\"name\":\"top-node\"},\"timestamp\":\"2026-01-01T00:00:10Z\","
            + "\"window\":\"10s\",\"usage\":{\"cpu\":\"1000000000n\",\"memory\":\"2Gi\"}}");
    Path kubeconfig = dir.resolve("kubeconfig");
    Kubeconfig.write(
        kubeconfig, api.base(), api.certificates.caCertificatePem(), "admin", api.token);

    Result pods = kubectl(kubeconfig, "top", "pods", "-n", "default", "-l", "app=top");
    assertThat(pods.exit()).as(pods.output()).isZero();
    assertThat(pods.output().lines().toList())
        .as(pods.output())
        .anySatisfy(line -> assertThat(line.split("\\s+")).containsExactly("top-1", "450m", "12Mi"))
        .anySatisfy(line -> assertThat(line.split("\\s+")).containsExactly("top-2", "50m", "24Mi"))
        .noneSatisfy(line -> assertThat(line).startsWith("web-"));

    Result containers = kubectl(kubeconfig, "top", "pod", "top-1", "--containers");
    assertThat(containers.exit()).as(containers.output()).isZero();
    assertThat(containers.output()).containsPattern("top-1\\s+main\\s+450m\\s+12Mi");

    Result nodes = kubectl(kubeconfig, "top", "nodes", "top-node");
    assertThat(nodes.exit()).as(nodes.output()).isZero();
    // 1 of 4 cores is 25%; 2 Gi of 8 Gi is 25%.
    assertThat(nodes.output()).containsPattern("top-node\\s+1000m\\s+25%\\s+2048Mi\\s+25%");
  }

  private record Result(int exit, String output) {}

  private static boolean kubectlPresent() {
    try {
      return new ProcessBuilder("kubectl", "version", "--client").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static Result kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "kubectl",
                "--kubeconfig",
                kubeconfig.toString(),
                "--cache-dir",
                dir.resolve("kube-cache").toString(),
                "--request-timeout",
                "20s"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("kubectl", ".out");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(out, StandardCharsets.UTF_8);
    Files.delete(out);
    return new Result(process.exitValue(), output);
  }
}
