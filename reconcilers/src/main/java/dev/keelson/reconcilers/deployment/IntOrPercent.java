package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An IntOrString of a rolling update (maxSurge, maxUnavailable): a count, or a percentage of the
 * desired replicas, scaled as upstream's GetScaledValueFromIntOrPercent does.
 */
public record IntOrPercent(int value, boolean percent) {

  public static IntOrPercent of(int value) {
    return new IntOrPercent(value, false);
  }

  public static IntOrPercent percent(int value) {
    return new IntOrPercent(value, true);
  }

  /**
   * From JSON: a number, or a string "N%" (a missing value is {@code fallback}).
   *
   * @throws IllegalArgumentException for a string that is not a percentage
   */
  public static IntOrPercent parse(JsonNode node, IntOrPercent fallback) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (node.isNumber()) {
      return of(node.asInt());
    }
    String text = node.asText();
    if (!text.endsWith("%")) {
      throw new IllegalArgumentException(
          "invalid value for IntOrString: invalid type: string is not a percentage");
    }
    try {
      return percent(Integer.parseInt(text.substring(0, text.length() - 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid value for IntOrString: invalid value \"" + text + "\"");
    }
  }

  /** The count this stands for out of {@code total}: percentages round up or down as asked. */
  public int scaled(int total, boolean roundUp) {
    if (!percent) {
      return value;
    }
    double exact = (double) value * total / 100;
    return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
  }

  @Override
  public String toString() {
    return percent ? value + "%" : Integer.toString(value);
  }
}
