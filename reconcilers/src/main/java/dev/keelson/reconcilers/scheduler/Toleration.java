package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A pod toleration, matched against taints as upstream's {@code Toleration.ToleratesTaint}. */
public record Toleration(String key, String operator, String value, String effect) {

  public static Toleration of(String key, String operator, String value, String effect) {
    return new Toleration(
        key == null ? "" : key,
        operator == null ? "" : operator,
        value == null ? "" : value,
        effect == null ? "" : effect);
  }

  /**
   * An empty effect matches every effect, an empty key (with Exists) every key; Equal (or no
   * operator) needs the same value, Exists any value.
   */
  public boolean tolerates(Taint taint) {
    if (!effect.isEmpty() && !effect.equals(taint.effect())) {
      return false;
    }
    if (!key.isEmpty() && !key.equals(taint.key())) {
      return false;
    }
    return switch (operator) {
      case "", "Equal" -> value.equals(taint.value());
      case "Exists" -> true;
      default -> false;
    };
  }

  /** Whether any of {@code tolerations} tolerates {@code taint}. */
  public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
    for (int i = 0; i < tolerations.size(); i++) {
      if (tolerations.get(i).tolerates(taint)) {
        return true;
      }
    }
    return false;
  }

  static List<Toleration> parse(JsonNode tolerations) {
    if (!tolerations.isArray() || tolerations.isEmpty()) {
      return List.of();
    }
    List<Toleration> list = new ArrayList<>(tolerations.size());
    for (JsonNode t : tolerations) {
      list.add(
          of(
              t.path("key").asText(""),
              t.path("operator").asText(""),
              t.path("value").asText(""),
              t.path("effect").asText("")));
    }
    return List.copyOf(list);
  }
}
