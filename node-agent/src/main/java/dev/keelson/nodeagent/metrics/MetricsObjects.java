package dev.keelson.nodeagent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The metrics.k8s.io/v1beta1 objects a node agent publishes, in the shape metrics-server serves:
 * CPU in billionths of a core ({@code 1234567n}), memory in bytes as a binary quantity ({@code
 * 1234Ki}), the time of the reading and the window the CPU rate was taken over.
 */
public final class MetricsObjects {

  public static final String API_VERSION = "metrics.k8s.io/v1beta1";

  /** One container's use over the window. */
  public record ContainerUsage(String name, long nanoCores, long memoryBytes) {}

  private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private MetricsObjects() {}

  /** The PodMetrics of {@code pod}, named as it, with its labels. */
  public static ObjectNode podMetrics(
      JsonNode pod, Instant timestamp, Duration window, List<ContainerUsage> containers) {
    ObjectNode metrics = Json.object();
    metrics.put("apiVersion", API_VERSION);
    metrics.put("kind", "PodMetrics");
    ObjectNode metadata = metrics.putObject("metadata");
    metadata.put("name", pod.path("metadata").path("name").asText());
    metadata.put("namespace", pod.path("metadata").path("namespace").asText());
    JsonNode labels = pod.path("metadata").path("labels");
    metadata.set("labels", labels.isObject() ? labels.deepCopy() : Json.object());
    sample(metrics, timestamp, window);
    ArrayNode list = metrics.putArray("containers");
    for (ContainerUsage container : containers) {
      ObjectNode entry = list.addObject();
      entry.put("name", container.name());
      usage(entry.putObject("usage"), container.nanoCores(), container.memoryBytes());
    }
    return metrics;
  }

  /** The NodeMetrics of node {@code name}, with the node's labels. */
  public static ObjectNode nodeMetrics(
      String name,
      Map<String, String> labels,
      Instant timestamp,
      Duration window,
      long nanoCores,
      long memoryBytes) {
    ObjectNode metrics = Json.object();
    metrics.put("apiVersion", API_VERSION);
    metrics.put("kind", "NodeMetrics");
    ObjectNode metadata = metrics.putObject("metadata");
    metadata.put("name", name);
    ObjectNode labelNode = metadata.putObject("labels");
    labels.forEach(labelNode::put);
    sample(metrics, timestamp, window);
    usage(metrics.putObject("usage"), nanoCores, memoryBytes);
    return metrics;
  }

  /**
   * The JSON patch that makes a stored PodMetrics or NodeMetrics carry the sample of {@code
   * metrics}: each part replaced whole ("add" replaces a member that exists), with no version, so
   * the newest sample wins.
   */
  public static ArrayNode replaceSample(ObjectNode metrics) {
    ArrayNode patch = Json.mapper().createArrayNode();
    add(patch, "/metadata/labels", metrics.path("metadata").path("labels"));
    for (String field : List.of("timestamp", "window", "containers", "usage")) {
      if (metrics.has(field)) {
        add(patch, "/" + field, metrics.get(field));
      }
    }
    return patch;
  }

  /** CPU as metrics-server writes it: billionths of a core, {@code 0} for none. */
  public static String cpu(long nanoCores) {
    return nanoCores == 0 ? "0" : nanoCores + "n";
  }

  /** Bytes as a canonical binary quantity: the largest suffix that divides them exactly. */
  public static String memory(long bytes) {
    if (bytes == 0) {
      return "0";
    }
    long value = bytes;
    int suffix = -1;
    while (suffix + 1 < BINARY.length && value % 1024 == 0) {
      value /= 1024;
      suffix++;
    }
    return suffix < 0 ? Long.toString(value) : value + BINARY[suffix];
  }

  /** A duration as Go's time.Duration writes it, to the millisecond: 10s, 1m0s, 10.5s, 500ms. */
  public static String goDuration(Duration duration) {
    long millis = duration.toMillis();
    if (millis <= 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long seconds = millis / 1000 % 60;
    long fraction = millis % 1000;
    StringBuilder text = new StringBuilder();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      text.append(minutes).append('m');
    }
    text.append(seconds);
    if (fraction > 0) {
      String digits = String.format("%03d", fraction).replaceAll("0+$", "");
      text.append('.').append(digits);
    }
    return text.append('s').toString();
  }

  private static void sample(ObjectNode metrics, Instant timestamp, Duration window) {
    metrics.put("timestamp", timestamp.truncatedTo(ChronoUnit.SECONDS).toString());
    metrics.put("window", goDuration(window));
  }

  private static void usage(ObjectNode usage, long nanoCores, long memoryBytes) {
    usage.put("cpu", cpu(nanoCores));
    usage.put("memory", memory(memoryBytes));
  }

  private static void add(ArrayNode patch, String path, JsonNode value) {
    patch.addObject().put("op", "add").put("path", path).set("value", value.deepCopy());
  }
}
