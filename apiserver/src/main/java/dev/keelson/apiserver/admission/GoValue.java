package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders an offending value the way upstream's error text shows it: Go's {@code %q} for strings,
 * {@code %v} for numbers and booleans, {@code %#v} for the maps and selectors users meet most.
 */
final class GoValue {

  /** A value rendered ahead of time, shown as is. */
  record Raw(String text) {}

  private GoValue() {}

  static String render(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Raw raw) {
      return raw.text();
    }
    if (value instanceof String text) {
      return quote(text);
    }
    if (value instanceof JsonNode node) {
      return node(node);
    }
    return String.valueOf(value);
  }

  private static String node(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return quote(node.asText());
    }
    if (node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    return Json.text(node);
  }

  /** Go's {@code %#v} of a {@code map[string]string}: sorted keys, nil when absent. */
  static Raw stringMap(JsonNode map) {
    if (map == null || !map.isObject()) {
      return new Raw("map[string]string(nil)");
    }
    return new Raw("map[string]string{" + entries(map) + "}");
  }

  /** Go's {@code %#v} of a {@code v1.LabelSelector}, the value of selector errors. */
  static Raw labelSelector(JsonNode selector) {
    if (selector == null || !selector.isObject()) {
      return new Raw("null");
    }
    JsonNode labels = selector.get("matchLabels");
    String matchLabels =
        labels != null && labels.isObject()
            ? "map[string]string{" + entries(labels) + "}"
            : "map[string]string(nil)";
    JsonNode expressions = selector.get("matchExpressions");
    String matchExpressions;
    if (expressions == null || !expressions.isArray()) {
      matchExpressions = "[]v1.LabelSelectorRequirement(nil)";
    } else {
      StringBuilder each = new StringBuilder();
      for (JsonNode expression : expressions) {
        each.append(each.length() == 0 ? "" : ", ");
        each.append("v1.LabelSelectorRequirement{Key:")
            .append(quote(expression.path("key").asText("")))
            .append(", Operator:")
            .append(quote(expression.path("operator").asText("")))
            .append(", Values:")
            .append(strings(expression.get("values")))
            .append("}");
      }
      matchExpressions = "[]v1.LabelSelectorRequirement{" + each + "}";
    }
    return new Raw(
        "v1.LabelSelector{MatchLabels:"
            + matchLabels
            + ", MatchExpressions:"
            + matchExpressions
            + "}");
  }

  private static String strings(JsonNode values) {
    if (values == null || !values.isArray()) {
      return "[]string(nil)";
    }
    StringBuilder out = new StringBuilder("[]string{");
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(quote(values.get(i).asText()));
    }
    return out.append("}").toString();
  }

  private static String entries(JsonNode map) {
    Map<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    StringBuilder out = new StringBuilder();
    sorted.forEach(
        (k, v) ->
            out.append(out.length() == 0 ? "" : ", ")
                .append(quote(k))
                .append(':')
                .append(quote(v)));
    return out.toString();
  }

  /** Go's {@code strconv.Quote}. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.codePoints().forEach(c -> escape(out, c));
    return out.append('"').toString();
  }

  private static void escape(StringBuilder out, int c) {
    switch (c) {
      case '"' -> out.append("\\\"");
      case '\\' -> out.append("\\\\");
      case 0x07 -> out.append("\\a");
      case '\b' -> out.append("\\b");
      case '\f' -> out.append("\\f");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      case 0x0b -> out.append("\\v");
      default -> {
        if (printable(c)) {
          out.appendCodePoint(c);
        } else if (c < 0x80) {
          out.append(String.format("\\x%02x", c));
        } else if (c < 0x10000) {
          out.append(String.format("\\u%04x", c));
        } else {
          out.append(String.format("\\U%08x", c));
        }
      }
    }
  }

  private static boolean printable(int c) {
    if (c == ' ') {
      return true;
    }
    int type = Character.getType(c);
    return !(type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED
        || type == Character.SPACE_SEPARATOR
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR);
  }
}
