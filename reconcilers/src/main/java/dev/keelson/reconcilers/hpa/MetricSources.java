package dev.keelson.reconcilers.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One metric of an autoscaler's spec, computed into a replica proposal and the metric's status, as
 * upstream's computeReplicasForMetric does. Resource and ContainerResource metrics (Utilization or
 * AverageValue targets) come from the PodMetrics node agents publish; Keelson serves no custom or
 * external metrics API, so Pods, Object and External metrics cannot be computed.
 */
final class MetricSources {

  /** What computing one metric gave. */
  sealed interface Outcome {}

  /** A proposal, named as upstream names the metric in its events. */
  record Computed(int replicas, String name, ObjectNode status) implements Outcome {}

  /** The metric could not be computed: the event and condition reason, and the error. */
  record Failed(String reason, String message) implements Outcome {}

  private MetricSources() {}

  static Outcome compute(
      JsonNode spec,
      int currentReplicas,
      List<JsonNode> pods,
      Function<String, JsonNode> metricsOf,
      Instant now,
      ReplicaCalculator.Settings settings,
      Duration maxAge) {
    String type = spec.path("type").asText();
    switch (type) {
      case "Resource":
        return resource(
            spec.path("resource"), null, currentReplicas, pods, metricsOf, now, settings, maxAge);
      case "ContainerResource":
        JsonNode source = spec.path("containerResource");
        return resource(
            source,
            source.path("container").asText(),
            currentReplicas,
            pods,
            metricsOf,
            now,
            settings,
            maxAge);
      case "Pods", "Object", "External":
        return new Failed(
            "FailedGet" + type + "Metric",
            "unable to get "
                + type.toLowerCase(java.util.Locale.ROOT)
                + " metric: no custom or external metrics API is served");
      default:
        return new Failed("InvalidMetricSourceType", "unknown metric source type \"" + type + "\"");
    }
  }

  private static Outcome resource(
      JsonNode source,
      String container,
      int currentReplicas,
      List<JsonNode> pods,
      Function<String, JsonNode> metricsOf,
      Instant now,
      ReplicaCalculator.Settings settings,
      Duration maxAge) {
    String resource = source.path("name").asText();
    String reason =
        container == null ? "FailedGetResourceMetric" : "FailedGetContainerResourceMetric";
    String kind = container == null ? "resource" : "container resource";
    JsonNode target = source.path("target");
    OptionalLong averageValue = Quantities.milli(target.path("averageValue").asText(""));
    if (averageValue.isEmpty() && !target.path("averageUtilization").canConvertToInt()) {
      return new Failed(
          reason,
          "invalid resource metric source: neither an average utilization target nor an average"
              + " value (usage) target was set");
    }
    List<ReplicaCalculator.PodSample> samples = new ArrayList<>();
    for (JsonNode pod : pods) {
      samples.add(
          PodSamples.of(
              pod,
              metricsOf.apply(pod.path("metadata").path("name").asText()),
              resource,
              container,
              now,
              maxAge));
    }
    boolean cpu = resource.equals("cpu");
    String failure =
        averageValue.isPresent()
            ? "failed to get " + resource + " usage: "
            : "failed to get " + resource + " utilization: ";
    if (samples.stream().allMatch(s -> s.metric() == null)) {
      return new Failed(
          reason,
          failure
              + "unable to get metrics for resource "
              + resource
              + ": no metrics returned from resource metrics API");
    }
    ReplicaCalculator.Result result =
        averageValue.isPresent()
            ? ReplicaCalculator.averageValue(
                currentReplicas, averageValue.getAsLong(), samples, cpu, now, settings)
            : ReplicaCalculator.utilization(
                currentReplicas,
                target.path("averageUtilization").asInt(),
                samples,
                cpu,
                now,
                settings);
    if (result instanceof ReplicaCalculator.Unable unable) {
      return new Failed(reason, failure + unable.message());
    }
    ReplicaCalculator.Proposal proposal = (ReplicaCalculator.Proposal) result;
    ObjectNode current = Json.object();
    if (averageValue.isEmpty()) {
      current.put("averageUtilization", proposal.utilization());
    }
    current.put("averageValue", Quantities.ofMilli(proposal.averageMilli()));
    ObjectNode status = Json.object();
    ObjectNode detail;
    if (container == null) {
      status.put("type", "Resource");
      detail = status.putObject("resource");
      detail.put("name", resource);
    } else {
      status.put("type", "ContainerResource");
      detail = status.putObject("containerResource");
      detail.put("name", resource);
      detail.put("container", container);
    }
    detail.set("current", current);
    String name =
        averageValue.isPresent()
            ? resource + " " + kind
            : resource + " " + kind + " utilization (percentage of request)";
    return new Computed(proposal.replicas(), name, status);
  }
}
