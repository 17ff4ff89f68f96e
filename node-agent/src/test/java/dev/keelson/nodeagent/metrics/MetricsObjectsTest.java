package dev.keelson.nodeagent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsObjectsTest {

  private static final JsonNode POD =
      Json.parseObject(
          "{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\",\"uid\":\"u1\","
              + "\"labels\":{\"app\":\"web\"},"
              + "\"annotations\":{\"keelson.dev/simulated-cpu\":\"450m\"}}}");

  @Test
  void podMetricsHaveMetricsServersShape() {
    ObjectNode metrics =
        MetricsObjects.podMetrics(
            POD,
            Instant.parse("2026-01-01T00:00:10.734Z"),
            Duration.ofSeconds(10),
            List.of(new MetricsObjects.ContainerUsage("main", 1_234_567L, 12L << 20)));
    assertThat(metrics)
        .isEqualTo(
            Json.parseObject(
                "{\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"kind\":\"PodMetrics\","
                    + "\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\","
                    + "\"labels\":{\"app\":\"web\"}},"
                    + "\"timestamp\":\"2026-01-01T00:00:10Z\",\"window\":\"10s\","
                    + "\"containers\":[{\"name\":\"main\","
                    + "\"usage\":{\"cpu\":\"1234567n\",\"memory\":\"12Mi\"}}]}"));
  }

  @Test
  void nodeMetricsCarryTheNodesLabelsAndItsUsage() {
    ObjectNode metrics =
        MetricsObjects.nodeMetrics(
            "node-a",
            Map.of("kubernetes.io/hostname", "node-a"),
            Instant.parse("2026-01-01T00:00:10Z"),
            Duration.ofMillis(20_064),
            1_500_000_000L,
            2_748_180L * 1024);
    assertThat(metrics.path("kind").asText()).isEqualTo("NodeMetrics");
    assertThat(metrics.path("metadata").has("namespace")).isFalse();
    assertThat(metrics.path("metadata").path("labels").path("kubernetes.io/hostname").asText())
        .isEqualTo("node-a");
    assertThat(metrics.path("window").asText()).isEqualTo("20.064s");
    assertThat(metrics.path("usage").path("cpu").asText()).isEqualTo("1500000000n");
    assertThat(metrics.path("usage").path("memory").asText()).isEqualTo("2748180Ki");
  }

  @Test
  void theSampleIsReplacedWholeByAJsonPatch() {
    ObjectNode metrics =
        MetricsObjects.podMetrics(
            POD,
            Instant.parse("2026-01-01T00:00:10Z"),
            Duration.ofSeconds(10),
            List.of(new MetricsObjects.ContainerUsage("main", 1L, 1024L)));
    ArrayNode patch = MetricsObjects.replaceSample(metrics);
    assertThat(patch)
        .extracting(op -> op.path("op").asText() + " " + op.path("path").asText())
        .containsExactly(
            "add /metadata/labels", "add /timestamp", "add /window", "add /containers");
    assertThat(patch.get(3).path("value")).isEqualTo(metrics.get("containers"));
  }

  @Test
  void quantitiesAndDurationsAreWrittenAsGoWritesThem() {
    assertThat(MetricsObjects.cpu(0)).isEqualTo("0");
    assertThat(MetricsObjects.cpu(450_000_000L)).isEqualTo("450000000n");
    assertThat(MetricsObjects.memory(0)).isEqualTo("0");
    assertThat(MetricsObjects.memory(1000)).isEqualTo("1000");
    assertThat(MetricsObjects.memory(4096)).isEqualTo("4Ki");
    assertThat(MetricsObjects.memory(3L << 30)).isEqualTo("3Gi");
    assertThat(MetricsObjects.goDuration(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(MetricsObjects.goDuration(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(MetricsObjects.goDuration(Duration.ofMillis(10_500))).isEqualTo("10.5s");
    assertThat(MetricsObjects.goDuration(Duration.ofSeconds(60))).isEqualTo("1m0s");
    assertThat(MetricsObjects.goDuration(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
  }

  @Test
  void aSimulatedPodSaysWhatCpuItsContainersUse() {
    assertThat(SimulatedLoad.nanoCores(POD)).hasValue(450_000_000L);
    assertThat(SimulatedLoad.nanoCores(Json.parseObject("{\"metadata\":{}}"))).isEmpty();
    assertThat(
            SimulatedLoad.nanoCores(
                Json.parseObject(
                    "{\"metadata\":{\"annotations\":{\"keelson.dev/simulated-cpu\":\"1.5\"}}}")))
        .hasValue(1_500_000_000L);
    assertThat(
            SimulatedLoad.nanoCores(
                Json.parseObject(
                    "{\"metadata\":{\"annotations\":{\"keelson.dev/simulated-cpu\":\"lots\"}}}")))
        .isEmpty();
  }
}
