package dev.keelson.apiserver.table;

import static dev.keelson.apiserver.table.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * autoscaling/v2 HorizontalPodAutoscalers, as upstream's printHorizontalPodAutoscaler. TARGETS
 * pairs each metric's current value (from status.currentMetrics at the same index) with its target,
 * e.g. "cpu: 40%/80%", and lists at most two. Quantities print as stored, not canonicalised.
 */
final class HpaPrinter {

  private static final int MAX_LISTED = 2;

  /** What autoscaling/v2 defaulting puts in an HPA written without metrics. */
  private static final JsonNode DEFAULT_METRICS =
      Json.mapper()
          .createArrayNode()
          .add(
              Json.object()
                  .put("type", "Resource")
                  .set(
                      "resource",
                      Json.object()
                          .put("name", "cpu")
                          .set(
                              "target",
                              Json.object()
                                  .put("type", "Utilization")
                                  .put("averageUtilization", 80))));

  private HpaPrinter() {}

  static Printer printer() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.string("Reference", Docs.HPA_REFERENCE),
            Column.string("Targets", Docs.HPA_METRICS),
            Column.string("MinPods", Docs.HPA_MIN_REPLICAS),
            Column.string("MaxPods", Docs.HPA_MAX_REPLICAS),
            Column.string("Replicas", Docs.HPA_CURRENT_REPLICAS),
            Column.objectAge()),
        HpaPrinter::cells);
  }

  private static List<Object> cells(JsonNode hpa, Instant now) {
    JsonNode spec = hpa.path("spec");
    JsonNode target = spec.path("scaleTargetRef");
    JsonNode metrics = spec.path("metrics").isEmpty() ? DEFAULT_METRICS : spec.path("metrics");
    return List.of(
        text(hpa.path("metadata").path("name")),
        text(target.path("kind")) + "/" + text(target.path("name")),
        targets(metrics, hpa.path("status").path("currentMetrics")),
        // minReplicas defaults to 1 in autoscaling/v2.
        Long.toString(Fields.number(spec.path("minReplicas"), 1)),
        spec.path("maxReplicas").asLong(0),
        hpa.path("status").path("currentReplicas").asLong(0),
        Fields.age(hpa, now));
  }

  static String targets(JsonNode specs, JsonNode statuses) {
    if (specs.isEmpty()) {
      return "<none>";
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      list.add(target(specs.get(i), statuses.path(i)));
    }
    if (list.size() > MAX_LISTED) {
      return String.join(", ", list.subList(0, MAX_LISTED))
          + " + "
          + (list.size() - MAX_LISTED)
          + " more...";
    }
    return String.join(", ", list);
  }

  private static String target(JsonNode spec, JsonNode status) {
    switch (text(spec.path("type"))) {
      case "External":
        return valueOrAverage(spec.path("external"), status.path("external"));
      case "Object":
        return valueOrAverage(spec.path("object"), status.path("object"));
      case "Pods":
        {
          JsonNode current = status.path("pods");
          String value =
              current.isObject() ? quantity(current.path("current").path("averageValue")) : null;
          return orUnknown(value)
              + "/"
              + quantity(spec.path("pods").path("target").path("averageValue"));
        }
      case "Resource":
        return resource(spec.path("resource"), status.path("resource"));
      case "ContainerResource":
        return resource(spec.path("containerResource"), status.path("containerResource"));
      default:
        return "<unknown type>";
    }
  }

  private static String valueOrAverage(JsonNode source, JsonNode current) {
    JsonNode average = source.path("target").path("averageValue");
    if (!average.isMissingNode() && !average.isNull()) {
      String value = null;
      if (current.isObject() && current.path("current").has("averageValue")) {
        value = quantity(current.path("current").path("averageValue"));
      }
      return orUnknown(value) + "/" + quantity(average) + " (avg)";
    }
    String value = current.isObject() ? quantity(current.path("current").path("value")) : null;
    return orUnknown(value) + "/" + quantity(source.path("target").path("value"));
  }

  private static String resource(JsonNode source, JsonNode current) {
    String name = text(source.path("name"));
    JsonNode average = source.path("target").path("averageValue");
    if (!average.isMissingNode() && !average.isNull()) {
      String value =
          current.isObject() ? quantity(current.path("current").path("averageValue")) : null;
      return name + ": " + orUnknown(value) + "/" + quantity(average);
    }
    JsonNode currentUtilization = current.path("current").path("averageUtilization");
    String value =
        current.isObject() && currentUtilization.canConvertToLong()
            ? currentUtilization.asLong() + "%"
            : null;
    JsonNode targetUtilization = source.path("target").path("averageUtilization");
    String target =
        targetUtilization.canConvertToLong() ? targetUtilization.asLong() + "%" : "<auto>";
    return name + ": " + orUnknown(value) + "/" + target;
  }

  /** A quantity as written; Go prints a missing one as "<nil>", or "0" for a zero value. */
  private static String quantity(JsonNode q) {
    if (q.isMissingNode() || q.isNull()) {
      return "<nil>";
    }
    return q.asText();
  }

  private static String orUnknown(String value) {
    return value == null ? "<unknown>" : value;
  }
}
