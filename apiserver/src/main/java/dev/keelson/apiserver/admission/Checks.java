package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Small checks shared by the kinds' rules. */
final class Checks {

  static final String NEGATIVE = "must be greater than or equal to 0";
  static final String IMMUTABLE = "field is immutable";

  private Checks() {}

  /** Adds the cause when a present integer is below zero. */
  static void nonNegative(List<FieldCause> causes, JsonNode node, String path) {
    if (node != null && node.isNumber() && node.asLong() < 0) {
      causes.add(FieldCause.invalid(path, node.asLong(), NEGATIVE));
    }
  }

  /** Adds the {@code field is immutable} cause when the values differ. */
  static void immutable(
      List<FieldCause> causes, String path, JsonNode updated, JsonNode existing, Object shown) {
    if (!same(updated, existing)) {
      causes.add(FieldCause.invalid(path, shown, IMMUTABLE));
    }
  }

  static void immutable(List<FieldCause> causes, String path, JsonNode updated, JsonNode existing) {
    immutable(causes, path, updated, existing, updated);
  }

  /**
   * Upstream's semantic equality on decoded structs: an absent field, null, zero, false, an empty
   * string, list or map all read as the zero value, so they compare equal.
   */
  static boolean same(JsonNode a, JsonNode b) {
    return pruned(a).equals(pruned(b));
  }

  static JsonNode pruned(JsonNode node) {
    if (node == null || isZero(node)) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        JsonNode value = pruned(e.getValue());
        if (!value.isMissingNode()) {
          copy.set(e.getKey(), value);
        }
      }
      return copy.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : copy;
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).arrayNode();
      for (JsonNode each : node) {
        JsonNode value = pruned(each);
        copy.add(value.isMissingNode() ? copy.nullNode() : value);
      }
      return copy;
    }
    if (node.isNumber()) {
      return node.isIntegralNumber()
          ? com.fasterxml.jackson.databind.node.LongNode.valueOf(node.asLong())
          : com.fasterxml.jackson.databind.node.DoubleNode.valueOf(node.asDouble());
    }
    return node;
  }

  private static boolean isZero(JsonNode node) {
    return node.isMissingNode()
        || node.isNull()
        || (node.isTextual() && node.asText().isEmpty())
        || (node.isBoolean() && !node.asBoolean())
        || (node.isNumber() && node.asDouble() == 0)
        || (node.isContainerNode() && node.isEmpty());
  }

  /** Go's {@code %#v} of a {@code []string}. */
  static String stringSlice(JsonNode values) {
    List<String> quoted = new ArrayList<>();
    values.forEach(v -> quoted.add(GoValue.quote(v.asText())));
    return "[]string{" + String.join(", ", quoted) + "}";
  }

  /** The text of a string field, empty when absent. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }

  static boolean present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }
}
