package dev.keelson.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.selector.LabelSelector;
import dev.keelson.api.selector.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** A workload's label selector written as upstream's labels.Selector String(). */
final class Selectors {

  private Selectors() {}

  /**
   * Requirements sorted by key, values sorted: {@code app=web,tier in (a,b),!canary}.
   *
   * @throws IllegalArgumentException when the selector is not valid
   */
  static String asString(JsonNode selector) {
    List<Requirement> requirements =
        new ArrayList<>(LabelSelector.fromSpec(selector).requirements());
    requirements.sort(Comparator.comparing(Requirement::key));
    List<String> parts = new ArrayList<>();
    for (Requirement r : requirements) {
      String values = String.join(",", new TreeSet<>(r.values()));
      parts.add(
          switch (r.operator()) {
            case EQUALS -> r.key() + "=" + values;
            case NOT_EQUALS -> r.key() + "!=" + values;
            case IN -> r.key() + " in (" + values + ")";
            case NOT_IN -> r.key() + " notin (" + values + ")";
            case EXISTS -> r.key();
            case DOES_NOT_EXIST -> "!" + r.key();
          });
    }
    return String.join(",", parts);
  }

  /** Upstream's metav1.FormatLabelSelector: "<none>" when empty, "<error>" when invalid. */
  static String format(JsonNode selector) {
    try {
      String s = asString(selector);
      return s.isEmpty() ? "<none>" : s;
    } catch (IllegalArgumentException e) {
      return "<error>";
    }
  }
}
