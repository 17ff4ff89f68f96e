package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.api.Json;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node agents publish what their pods use as metrics.k8s.io PodMetrics and NodeMetrics, read here
 * through fabric8's metrics client as from metrics-server: on Docker the CPU rate between two
 * readings of the engine's counters; on a simulated node what the pod's annotation says.
 */
@Timeout(180)
class ContainerMetricsIT {

  @TempDir static Path dir;
  static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aBusyContainerOnDockerUsesCpuAndItsMetricsGoWithThePod() throws Exception {
    Engine.require();
    String node = Cluster.uniqueNode("metrics");
    cluster.agent(node, s -> s.withMetricsPeriod(Duration.ofSeconds(2)));
    try {
      Pods.create(
          cluster.client,
          """
          apiVersion: v1
          kind: Pod
          metadata: {name: busy, labels: {app: busy}}
          spec:
            nodeName: %s
            terminationGracePeriodSeconds: 1
            containers:
            - name: spin
              image: keelson/busybox:1
              command: [sh, -c, 'while true; do :; done']
            - name: idle
              image: keelson/busybox:1
              command: [sleep, '3600']
          """
              .formatted(node));
      PodMetrics busy =
          await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(() -> podMetrics("busy"), m -> m != null && cpu(m, "spin") > 0.2);
      assertThat(busy.getMetadata().getLabels()).containsEntry("app", "busy");
      // As Go writes a duration ("2.9s"), which fabric8's Duration reads wrong: read it here.
      String window =
          Json.parseObject(
                  cluster.client.raw("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/busy"))
              .path("window")
              .asText();
      assertThat(window).matches("\\d+(\\.\\d+)?s");
      assertThat(Double.parseDouble(window.replace("s", ""))).isBetween(1.5, 10.0);
      assertThat(cpu(busy, "idle")).as("sleeping").isLessThan(0.05);
      assertThat(busy.getContainers())
          .allSatisfy(
              c -> assertThat(c.getUsage().get("memory").getNumericalAmount()).isPositive());
      NodeMetrics nodeMetrics = cluster.client.top().nodes().metrics(node);
      assertThat(nodeMetrics.getMetadata().getLabels())
          .containsEntry("kubernetes.io/hostname", node);
      assertThat(nodeMetrics.getUsage().get("cpu").getNumericalAmount())
          .isGreaterThan(new BigDecimal("0.2"));

      cluster.client.pods().inNamespace("default").withName("busy").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(podMetrics("busy")).isNull());
    } finally {
      cluster.removePods(node);
    }
  }

  @Test
  void aSimulatedPodUsesWhatItsAnnotationSays() throws Exception {
    String node = Cluster.uniqueNode("simmetrics");
    cluster.agent(node, 1, s -> s.withMetricsPeriod(Duration.ofSeconds(1)));
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: loaded
          annotations: {keelson.dev/simulated-cpu: 450m}
        spec:
          nodeName: %s-0
          containers:
          - {name: a, image: app}
          - {name: b, image: app}
        """
            .formatted(node));
    PodMetrics loaded =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> podMetrics("loaded"), m -> m != null);
    assertThat(cpu(loaded, "a")).isEqualTo(0.45);
    assertThat(cpu(loaded, "b")).isEqualTo(0.45);
    // The node's sample is written after its pods' in each period: awaited, not read at once.
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(cluster.client.top().nodes().metrics(node + "-0").getUsage().get("cpu"))
                    .satisfies(
                        q -> assertThat(q.getNumericalAmount()).isEqualByComparingTo("0.9")));

    cluster
        .client
        .pods()
        .inNamespace("default")
        .withName("loaded")
        .edit(
            p -> {
              p.getMetadata().setAnnotations(Map.of("keelson.dev/simulated-cpu", "20m"));
              return p;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(cpu(podMetrics("loaded"), "a")).isEqualTo(0.02));
    cluster.client.pods().inNamespace("default").withName("loaded").withGracePeriod(0).delete();
  }

  private static PodMetrics podMetrics(String name) {
    try {
      return cluster.client.top().pods().metrics("default", name);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static double cpu(PodMetrics metrics, String container) {
    Quantity cpu =
        metrics.getContainers().stream()
            .filter(c -> c.getName().equals(container))
            .findFirst()
            .orElseThrow()
            .getUsage()
            .get("cpu");
    return cpu.getNumericalAmount().doubleValue();
  }
}
