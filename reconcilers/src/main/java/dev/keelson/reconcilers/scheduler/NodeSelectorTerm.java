package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One term of a node selector (node affinity): its label expressions and its field expressions
 * (only {@code metadata.name}), all of which must hold. A term with neither matches no node, as
 * upstream's.
 */
public record NodeSelectorTerm(List<Requirement> expressions, List<Requirement> fields) {

  /** One requirement: In, NotIn, Exists, DoesNotExist, Gt or Lt on a key. */
  public record Requirement(String key, String operator, List<String> values) {

    /** Whether {@code value} (null when the key is absent) satisfies the requirement. */
    public boolean matches(String value) {
      return switch (operator) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        case "Gt", "Lt" -> compares(value);
        default -> false;
      };
    }

    private boolean compares(String value) {
      if (value == null || values.size() != 1) {
        return false;
      }
      try {
        long have = Long.parseLong(value);
        long bound = Long.parseLong(values.get(0));
        return operator.equals("Gt") ? have > bound : have < bound;
      } catch (NumberFormatException e) {
        return false;
      }
    }
  }

  public boolean matches(String nodeName, Map<String, String> labels) {
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false;
    }
    for (int i = 0; i < expressions.size(); i++) {
      Requirement r = expressions.get(i);
      if (!r.matches(labels.get(r.key()))) {
        return false;
      }
    }
    for (int i = 0; i < fields.size(); i++) {
      Requirement r = fields.get(i);
      if (!"metadata.name".equals(r.key()) || !r.matches(nodeName)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The node names this term is limited to by {@code metadata.name In} fields (their intersection),
   * or null when it names none, as upstream's NodeAffinity PreFilter finds them.
   */
  Set<String> namedNodes() {
    Set<String> names = null;
    for (Requirement r : fields) {
      if ("metadata.name".equals(r.key()) && "In".equals(r.operator())) {
        if (names == null) {
          names = new LinkedHashSet<>(r.values());
        } else {
          names.retainAll(r.values());
        }
      }
    }
    return names;
  }

  static NodeSelectorTerm parse(JsonNode term) {
    return new NodeSelectorTerm(
        requirements(term.path("matchExpressions")), requirements(term.path("matchFields")));
  }

  static List<NodeSelectorTerm> parseTerms(JsonNode terms) {
    List<NodeSelectorTerm> list = new ArrayList<>();
    for (JsonNode term : terms) {
      list.add(parse(term));
    }
    return List.copyOf(list);
  }

  private static List<Requirement> requirements(JsonNode array) {
    if (!array.isArray() || array.isEmpty()) {
      return List.of();
    }
    List<Requirement> list = new ArrayList<>(array.size());
    for (JsonNode r : array) {
      List<String> values = new ArrayList<>();
      r.path("values").forEach(v -> values.add(v.asText()));
      list.add(
          new Requirement(
              r.path("key").asText(""), r.path("operator").asText(""), List.copyOf(values)));
    }
    return List.copyOf(list);
  }
}
