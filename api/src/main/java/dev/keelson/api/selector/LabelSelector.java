package dev.keelson.api.selector;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector: requirements that all must hold, in the string form of the API's
 * {@code labelSelector} parameter ({@code a=b,c!=d,e in (f,g),h notin (i),j,!k}) or the object form
 * of a workload's {@code spec.selector} (matchLabels and matchExpressions).
 */
public final class LabelSelector {

  /** How a requirement compares a label. */
  public enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  /** One requirement on one label key. */
  public record Requirement(String key, Operator operator, Set<String> values) {

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case EQUALS, IN -> value != null && values.contains(value);
        case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /**
   * Parses the string form.
   *
   * @throws IllegalArgumentException with a message fit for a 400 answer
   */
  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String part : splitOutsideParentheses(text)) {
      requirements.add(requirement(part.trim(), text));
    }
    return new LabelSelector(requirements);
  }

  /** The object form: {@code {"matchLabels": {...}, "matchExpressions": [...]}}. */
  public static LabelSelector fromSpec(JsonNode selector) {
    if (selector == null || selector.isNull() || selector.isEmpty()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    selector
        .path("matchLabels")
        .fields()
        .forEachRemaining(
            e -> {
              validateKey(e.getKey());
              validateValue(e.getValue().asText());
              requirements.add(
                  new Requirement(e.getKey(), Operator.EQUALS, Set.of(e.getValue().asText())));
            });
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asText("");
      validateKey(key);
      Set<String> values = new TreeSet<>();
      expression.path("values").forEach(v -> values.add(validateValue(v.asText())));
      String op = expression.path("operator").asText("");
      Operator operator =
          switch (op) {
            case "In" -> Operator.IN;
            case "NotIn" -> Operator.NOT_IN;
            case "Exists" -> Operator.EXISTS;
            case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
            default ->
                throw new IllegalArgumentException(
                    "\"" + op + "\" is not a valid label selector operator");
          };
      if ((operator == Operator.IN || operator == Operator.NOT_IN) && values.isEmpty()) {
        throw new IllegalArgumentException(
            "values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
      }
      if ((operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST)
          && !values.isEmpty()) {
        throw new IllegalArgumentException(
            "values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
      }
      requirements.add(new Requirement(key, operator, Set.copyOf(values)));
    }
    return new LabelSelector(requirements);
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEverything() {
    return requirements.isEmpty();
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  /** The labels that must equal one value, for an index lookup. */
  public Map<String, String> equalities() {
    Map<String, String> equal = new LinkedHashMap<>();
    for (Requirement r : requirements) {
      if ((r.operator() == Operator.EQUALS || r.operator() == Operator.IN)
          && r.values().size() == 1) {
        equal.put(r.key(), r.values().iterator().next());
      }
    }
    return equal;
  }

  private static Requirement requirement(String part, String whole) {
    if (part.isEmpty()) {
      throw new IllegalArgumentException(
          "unable to parse requirement: found '', expected: identifier in \"" + whole + "\"");
    }
    if (part.startsWith("!")) {
      return new Requirement(
          validateKey(part.substring(1).trim()), Operator.DOES_NOT_EXIST, Set.of());
    }
    int notEquals = part.indexOf("!=");
    if (notEquals > 0) {
      return new Requirement(
          validateKey(part.substring(0, notEquals).trim()),
          Operator.NOT_EQUALS,
          Set.of(validateValue(part.substring(notEquals + 2).trim())));
    }
    int equals = part.indexOf('=');
    if (equals > 0) {
      int valueStart = part.startsWith("==", equals) ? equals + 2 : equals + 1;
      return new Requirement(
          validateKey(part.substring(0, equals).trim()),
          Operator.EQUALS,
          Set.of(validateValue(part.substring(valueStart).trim())));
    }
    String[] words = part.split("\\s+", 2);
    if (words.length == 2) {
      String rest = words[1].trim();
      Operator operator;
      if (rest.startsWith("notin")) {
        operator = Operator.NOT_IN;
        rest = rest.substring(5).trim();
      } else if (rest.startsWith("in")) {
        operator = Operator.IN;
        rest = rest.substring(2).trim();
      } else {
        throw new IllegalArgumentException(
            "unable to parse requirement: found '" + rest + "', expected: in, notin, =, ==, !=");
      }
      if (!rest.startsWith("(") || !rest.endsWith(")")) {
        throw new IllegalArgumentException(
            "unable to parse requirement: expected a (value, ...) list in \"" + part + "\"");
      }
      Set<String> values = new TreeSet<>();
      for (String value : rest.substring(1, rest.length() - 1).split(",", -1)) {
        values.add(validateValue(value.trim()));
      }
      return new Requirement(validateKey(words[0]), operator, Set.copyOf(values));
    }
    return new Requirement(validateKey(part), Operator.EXISTS, Set.of());
  }

  private static List<String> splitOutsideParentheses(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth < 0) {
          throw new IllegalArgumentException("unbalanced parentheses in \"" + text + "\"");
        }
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("unbalanced parentheses in \"" + text + "\"");
    }
    parts.add(text.substring(start));
    return parts;
  }

  /**
   * A label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.
   */
  static String validateKey(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        throw new IllegalArgumentException(
            "invalid label key \""
                + key
                + "\": prefix part must be a lowercase RFC 1123 subdomain");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid label key \""
              + key
              + "\": name part must consist of alphanumeric characters, '-', '_' or '.',"
              + " and must start and end with an alphanumeric character, at most 63 characters");
    }
    return key;
  }

  /** A label value: empty, or at most 63 characters of the name alphabet. */
  static String validateValue(String value) {
    if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
      throw new IllegalArgumentException(
          "invalid label value: \""
              + value
              + "\": a valid label must be an empty string or consist of alphanumeric"
              + " characters, '-', '_' or '.', and must start and end with an alphanumeric character, at most 63 characters");
    }
    return value;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Requirement r : requirements) {
      parts.add(
          switch (r.operator()) {
            case EQUALS -> r.key() + "=" + r.values().iterator().next();
            case NOT_EQUALS -> r.key() + "!=" + r.values().iterator().next();
            case IN -> r.key() + " in (" + String.join(",", new TreeSet<>(r.values())) + ")";
            case NOT_IN -> r.key() + " notin (" + String.join(",", new TreeSet<>(r.values())) + ")";
            case EXISTS -> r.key();
            case DOES_NOT_EXIST -> "!" + r.key();
          });
    }
    return String.join(",", parts);
  }
}
