package dev.keelson.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reading the fields the printers need, with the zero values Go's typed structs would have. */
final class Fields {

  private Fields() {}

  /** A string field; "" when absent or null, as an unset Go string. */
  static String text(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? "" : node.asText();
  }

  static long number(JsonNode node, long absent) {
    return node != null && node.canConvertToLong() ? node.asLong() : absent;
  }

  /** A timestamp (RFC 3339, with or without fraction); null when absent, unparsable or zero. */
  static Instant time(JsonNode node) {
    String text = text(node);
    if (text.isEmpty()) {
      return null;
    }
    try {
      Instant t = OffsetDateTime.parse(text).toInstant();
      return t.equals(GO_ZERO_TIME) ? null : t;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  static String age(JsonNode object, Instant now) {
    return HumanDuration.since(time(object.path("metadata").path("creationTimestamp")), now);
  }

  static boolean deleting(JsonNode object) {
    return !text(object.path("metadata").path("deletionTimestamp")).isEmpty();
  }

  /** Whether the first condition of this type has status True. */
  static boolean conditionTrue(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (type.equals(text(c.path("type")))) {
        return "True".equals(text(c.path("status")));
      }
    }
    return false;
  }

  /** Container names and images, each joined by commas, as upstream's layoutContainerCells. */
  static List<Object> containersAndImages(JsonNode podSpec) {
    List<String> names = new ArrayList<>();
    List<String> images = new ArrayList<>();
    for (JsonNode c : podSpec.path("containers")) {
      names.add(text(c.path("name")));
      images.add(text(c.path("image")));
    }
    return List.of(String.join(",", names), String.join(",", images));
  }

  /** A string map sorted by key as {@code k=v,k2=v2}, or "<none>": upstream's FormatLabels. */
  static String labels(JsonNode map) {
    Map<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    if (sorted.isEmpty()) {
      return "<none>";
    }
    List<String> parts = new ArrayList<>();
    sorted.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(",", parts);
  }
}
