package dev.keelson.api.selector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes field selector ({@code fieldSelector=spec.nodeName=n1,status.phase!=Running}): terms
 * of {@code =}, {@code ==} or {@code !=} on field paths, all of which must hold.
 */
public final class FieldSelector {

  /** One term. */
  public record Term(String field, boolean equal, String value) {}

  private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  public static FieldSelector everything() {
    return EVERYTHING;
  }

  /**
   * Parses the string form.
   *
   * @throws IllegalArgumentException with a message fit for a 400 answer
   */
  public static FieldSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String term = part.trim();
      int notEquals = term.indexOf("!=");
      int equals = term.indexOf('=');
      if (notEquals > 0) {
        terms.add(
            new Term(
                term.substring(0, notEquals).trim(), false, term.substring(notEquals + 2).trim()));
      } else if (equals > 0) {
        int valueStart = term.startsWith("==", equals) ? equals + 2 : equals + 1;
        terms.add(
            new Term(term.substring(0, equals).trim(), true, term.substring(valueStart).trim()));
      } else {
        throw new IllegalArgumentException(
            "invalid selector: '" + text + "'; can't understand '" + term + "'");
      }
    }
    return new FieldSelector(terms);
  }

  public List<Term> terms() {
    return terms;
  }

  public boolean isEverything() {
    return terms.isEmpty();
  }

  /** Whether an object whose selectable fields are {@code fields} matches; absent fields are "". */
  public boolean matches(Map<String, String> fields) {
    for (Term term : terms) {
      boolean same = term.value().equals(fields.getOrDefault(term.field(), ""));
      if (same != term.equal()) {
        return false;
      }
    }
    return true;
  }

  /** The fields that must equal one value, for an index lookup. */
  public Map<String, String> equalities() {
    Map<String, String> equal = new LinkedHashMap<>();
    for (Term term : terms) {
      if (term.equal()) {
        equal.put(term.field(), term.value());
      }
    }
    return equal;
  }
}
