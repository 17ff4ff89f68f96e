package dev.keelson.reconcilers.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoscalerSyncTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private final ScalingHistory history = new ScalingHistory();
  private final List<JsonNode> pods = new ArrayList<>();
  private final Map<String, JsonNode> metrics = new HashMap<>();

  private static ObjectNode autoscaler(String status) {
    return Json.parseObject(
        "{\"apiVersion\":\"autoscaling/v2\",\"kind\":\"HorizontalPodAutoscaler\","
            + "\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"u\"},"
            + "\"spec\":{\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
            + "\"name\":\"web\"},\"minReplicas\":2,\"maxReplicas\":5,\"metrics\":[{\"type\":"
            + "\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\","
            + "\"averageUtilization\":50}}}]},\"status\":"
            + status
            + "}");
  }

  private void pod(String name, String cpuUsed) {
    pods.add(
        Json.parseObject(
            "{\"metadata\":{\"name\":\""
                + name
                + "\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"main\","
                + "\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]},\"status\":{\"phase\":"
                + "\"Running\",\"startTime\":\"2026-01-01T10:00:00Z\",\"conditions\":[{\"type\":"
                + "\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"2026-01-01T10:00:05Z\"}]}}"));
    if (cpuUsed != null) {
      metrics.put(
          name,
          Json.parseObject(
              "{\"metadata\":{\"name\":\""
                  + name
                  + "\"},\"timestamp\":\"2026-01-01T11:59:55Z\",\"window\":\"10s\","
                  + "\"containers\":[{\"name\":\"main\",\"usage\":{\"cpu\":\""
                  + cpuUsed
                  + "\",\"memory\":\"1Mi\"}}]}"));
    }
  }

  private AutoscalerSync.Decision decide(ObjectNode autoscaler, AutoscalerSync.Scale scale) {
    return AutoscalerSync.decide(
        new AutoscalerSync.Inputs(
            autoscaler,
            scale,
            scale == null ? "deployments.apps \"web\" not found" : null,
            selector ->
                pods.stream()
                    .filter(
                        p ->
                            selector.matches(
                                Json.mapper()
                                    .convertValue(p.path("metadata").path("labels"), Map.class)))
                    .toList(),
            metrics::get,
            history,
            NOW,
            Duration.ofMinutes(5),
            ReplicaCalculator.Settings.DEFAULTS,
            Duration.ofMinutes(1)));
  }

  private static AutoscalerSync.Scale scale(int replicas) {
    return new AutoscalerSync.Scale(
        replicas, Json.parseObject("{\"matchLabels\":{\"app\":\"web\"}}"));
  }

  private static JsonNode condition(ObjectNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return null;
  }

  @Test
  void loadAboveTheTargetScalesTheTargetUpAndSaysWhy() {
    pod("web-1", "150000000n");
    pod("web-2", "150m");
    AutoscalerSync.Decision decision = decide(autoscaler("{}"), scale(2));
    // 150% of requests against 50%: 6 pods, but at most double (4) per sync.
    assertThat(decision.rescaleTo()).isEqualTo(4);
    decision.rescaled();
    ObjectNode status = decision.status();
    assertThat(status.path("currentReplicas").asInt()).isEqualTo(2);
    assertThat(status.path("desiredReplicas").asInt()).isEqualTo(4);
    assertThat(status.path("lastScaleTime").asText()).isEqualTo("2026-01-01T12:00:00Z");
    assertThat(status.path("currentMetrics"))
        .isEqualTo(
            Json.mapper()
                .createArrayNode()
                .add(
                    Json.parseObject(
                        "{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"current\":"
                            + "{\"averageUtilization\":150,\"averageValue\":\"150m\"}}}")));
    assertThat(condition(status, "AbleToScale").path("reason").asText())
        .isEqualTo("SucceededRescale");
    assertThat(condition(status, "ScalingActive").path("reason").asText())
        .isEqualTo("ValidMetricFound");
    assertThat(condition(status, "ScalingLimited").path("reason").asText())
        .isEqualTo("ScaleUpLimit");
    assertThat(decision.events())
        .containsExactly(
            new AutoscalerSync.Event(
                "Normal",
                "SuccessfulRescale",
                "New size: 4; reason: cpu resource utilization (percentage of request) above"
                    + " target"));
  }

  @Test
  void loadAtTheTargetChangesNothing() {
    pod("web-1", "50m");
    pod("web-2", "52m");
    AutoscalerSync.Decision decision = decide(autoscaler("{}"), scale(2));
    assertThat(decision.rescaleTo()).isNull();
    assertThat(decision.status().path("desiredReplicas").asInt()).isEqualTo(2);
    assertThat(decision.status().has("lastScaleTime")).isFalse();
    assertThat(decision.events()).isEmpty();
  }

  @Test
  void withoutMetricsTheAutoscalerSaysItCannotCompute() {
    pod("web-1", null);
    AutoscalerSync.Decision decision =
        decide(autoscaler("{\"desiredReplicas\":3,\"currentReplicas\":3}"), scale(2));
    assertThat(decision.rescaleTo()).isNull();
    ObjectNode status = decision.status();
    assertThat(status.path("currentReplicas").asInt()).isEqualTo(2);
    assertThat(status.path("desiredReplicas").asInt()).as("kept").isEqualTo(3);
    JsonNode active = condition(status, "ScalingActive");
    assertThat(active.path("status").asText()).isEqualTo("False");
    assertThat(active.path("reason").asText()).isEqualTo("FailedGetResourceMetric");
    String error =
        "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics"
            + " returned from resource metrics API";
    assertThat(active.path("message").asText())
        .isEqualTo("the HPA was unable to compute the replica count: " + error);
    assertThat(decision.events())
        .containsExactly(
            new AutoscalerSync.Event("Warning", "FailedGetResourceMetric", error),
            new AutoscalerSync.Event(
                "Warning",
                "FailedComputeMetricsReplicas",
                "invalid metrics (1 invalid out of 1), first error is: " + error));
  }

  @Test
  void aTargetOutsideMinAndMaxIsBroughtBackFirst() {
    AutoscalerSync.Decision decision = decide(autoscaler("{}"), scale(9));
    assertThat(decision.rescaleTo()).isEqualTo(5);
    decision.rescaled();
    assertThat(decision.events().get(0).message())
        .isEqualTo("New size: 5; reason: Current number of replicas above Spec.MaxReplicas");
  }

  @Test
  void aMissingTargetIsReportedAndAConditionKeepsItsTransitionTime() {
    ObjectNode autoscaler =
        autoscaler(
            "{\"conditions\":[{\"type\":\"AbleToScale\",\"status\":\"False\","
                + "\"lastTransitionTime\":\"2026-01-01T11:00:00Z\",\"reason\":\"FailedGetScale\","
                + "\"message\":\"old\"}]}");
    AutoscalerSync.Decision decision = decide(autoscaler, null);
    JsonNode able = condition(decision.status(), "AbleToScale");
    assertThat(able.path("lastTransitionTime").asText()).isEqualTo("2026-01-01T11:00:00Z");
    assertThat(able.path("message").asText())
        .isEqualTo(
            "the HPA controller was unable to get the target's current scale: deployments.apps"
                + " \"web\" not found");
    assertThat(decision.events())
        .extracting(AutoscalerSync.Event::reason)
        .containsExactly("FailedGetScale");
  }

  @Test
  void aFailedRescaleKeepsTheCountsAndSaysWhy() {
    pod("web-1", "150m");
    pod("web-2", "150m");
    AutoscalerSync.Decision decision = decide(autoscaler("{\"desiredReplicas\":2}"), scale(2));
    decision.rescaleFailed("the object has been modified");
    JsonNode able = condition(decision.status(), "AbleToScale");
    assertThat(able.path("reason").asText()).isEqualTo("FailedUpdateScale");
    assertThat(decision.status().path("desiredReplicas").asInt()).isEqualTo(2);
    assertThat(decision.events().get(0).reason()).isEqualTo("FailedRescale");
  }
}
