package dev.keelson.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * JSON values written as Go's fmt writes the decoded {@code interface{}} values, so error messages
 * read as upstream's do (for example {@code map: map[image:nginx] does not contain declared merge
 * key: name}).
 */
final class GoText {

  private GoText() {}

  /** {@code %v} of the value. */
  static String format(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "<nil>";
    }
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null); // fmt prints maps sorted by key
      StringJoiner out = new StringJoiner(" ", "map[", "]");
      for (String name : names) {
        out.add(name + ":" + format(node.get(name)));
      }
      return out.toString();
    }
    if (node.isArray()) {
      StringJoiner out = new StringJoiner(" ", "[", "]");
      node.forEach(element -> out.add(format(element)));
      return out.toString();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isFloatingPointNumber()) {
      return formatFloat(node.doubleValue());
    }
    return node.asText();
  }

  /** The Go type of the decoded value, as reflect prints it. */
  static String type(JsonNode node) {
    if (node == null || node.isNull()) {
      return "<nil>";
    }
    if (node.isObject()) {
      return "map[string]interface {}";
    }
    if (node.isArray()) {
      return "[]interface {}";
    }
    if (node.isIntegralNumber()) {
      return "int64";
    }
    if (node.isNumber()) {
      return "float64";
    }
    return node.isBoolean() ? "bool" : "string";
  }

  /** The JSON kind as encoding/json names it in an unmarshal error. */
  static String kind(JsonNode node) {
    if (node.isObject()) {
      return "object";
    }
    if (node.isArray()) {
      return "array";
    }
    if (node.isNumber()) {
      return "number";
    }
    return node.isBoolean() ? "bool" : "string";
  }

  /** Go's {@code %v} of a float64: shortest digits, exponent form below 1e-4 and from 1e21. */
  private static String formatFloat(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    if (value == 0) {
      return "0";
    }
    BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    int exponent = decimal.precision() - decimal.scale() - 1;
    if (exponent >= -4 && exponent < 21) {
      return decimal.toPlainString();
    }
    String digits = decimal.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String sign = decimal.signum() < 0 ? "-" : "";
    String exp = String.format("%02d", Math.abs(exponent));
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
  }
}
