package dev.keelson.reconcilers.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A pod and its PodMetrics, read into what the replica calculator needs: the sum of the pod's
 * requests of a resource and of its containers' use of it (one container's, for a ContainerResource
 * metric), as upstream's metrics client and calculatePodRequests read them.
 */
final class PodSamples {

  private PodSamples() {}

  /**
   * @param metrics the pod's PodMetrics, or null
   * @param container the container a ContainerResource metric names, or null for the whole pod
   * @param maxAge metrics older than this count as missing (an agent that stopped reporting)
   */
  static ReplicaCalculator.PodSample of(
      JsonNode pod,
      JsonNode metrics,
      String resource,
      String container,
      Instant now,
      Duration maxAge) {
    JsonNode status = pod.path("status");
    Long request = null;
    String missing = null;
    long sum = 0;
    for (JsonNode c : containers(pod)) {
      if (container != null && !container.equals(c.path("name").asText())) {
        continue;
      }
      OptionalLong value =
          Quantities.milli(c.path("resources").path("requests").path(resource).asText(""));
      if (value.isEmpty()) {
        missing =
            "missing request for "
                + resource
                + " in container "
                + c.path("name").asText()
                + " of Pod "
                + pod.path("metadata").path("name").asText();
        break;
      }
      sum += value.getAsLong();
    }
    if (missing == null) {
      request = sum;
    }
    return new ReplicaCalculator.PodSample(
        pod.path("metadata").path("name").asText(),
        status.path("phase").asText(""),
        pod.path("metadata").hasNonNull("deletionTimestamp"),
        readiness(status),
        time(status.path("startTime")),
        request,
        missing,
        metric(metrics, resource, container, now, maxAge));
  }

  /** The containers whose requests count: the regular ones and the restartable init ones. */
  private static List<JsonNode> containers(JsonNode pod) {
    List<JsonNode> containers = new ArrayList<>();
    pod.path("spec").path("containers").forEach(containers::add);
    for (JsonNode init : pod.path("spec").path("initContainers")) {
      if ("Always".equals(init.path("restartPolicy").asText())) {
        containers.add(init);
      }
    }
    return containers;
  }

  private static ReplicaCalculator.Readiness readiness(JsonNode status) {
    for (JsonNode condition : status.path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        Instant since = time(condition.path("lastTransitionTime"));
        return new ReplicaCalculator.Readiness(
            "True".equals(condition.path("status").asText()),
            since == null ? Instant.EPOCH : since);
      }
    }
    return null;
  }

  /** The pod's use, summed over its containers; null when any of them lacks it or it is stale. */
  private static ReplicaCalculator.Metric metric(
      JsonNode metrics, String resource, String container, Instant now, Duration maxAge) {
    if (metrics == null || metrics.path("containers").isEmpty()) {
      return null;
    }
    Instant timestamp = time(metrics.path("timestamp"));
    if (timestamp == null || timestamp.plus(maxAge).isBefore(now)) {
      return null;
    }
    long sum = 0;
    boolean found = false;
    for (JsonNode c : metrics.path("containers")) {
      if (container != null && !container.equals(c.path("name").asText())) {
        continue;
      }
      OptionalLong value = Quantities.milli(c.path("usage").path(resource).asText(""));
      if (value.isEmpty()) {
        return null;
      }
      sum += value.getAsLong();
      found = true;
    }
    if (!found) {
      return null;
    }
    Duration window =
        Quantities.goDuration(metrics.path("window").asText("")).orElse(Duration.ZERO);
    return new ReplicaCalculator.Metric(sum, timestamp, window);
  }

  private static Instant time(JsonNode node) {
    if (!node.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(node.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
