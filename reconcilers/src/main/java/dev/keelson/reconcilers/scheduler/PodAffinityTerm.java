package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.selector.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A required pod (anti-)affinity term as upstream's scheduler reads it: the pods it selects (by
 * labels, in the listed namespaces or those a namespace selector picks, else the pod's own), and
 * the node label that spans one topology domain.
 *
 * @param selector null when the term has none: then it selects no pod
 * @param namespaceSelector null when the term has none
 */
public record PodAffinityTerm(
    LabelSelector selector,
    Set<String> namespaces,
    LabelSelector namespaceSelector,
    String topologyKey) {

  public static final String HOSTNAME = "kubernetes.io/hostname";

  /** Whether the term selects {@code pod}; {@code namespaceLabels} gives a namespace's labels. */
  public boolean matches(PodInfo pod, Function<String, Map<String, String>> namespaceLabels) {
    if (selector == null) {
      return false;
    }
    boolean inNamespace =
        namespaces.contains(pod.namespace())
            || namespaceSelector != null
                && (namespaceSelector.isEverything()
                    || namespaceSelector.matches(labelsOf(pod.namespace(), namespaceLabels)));
    return inNamespace && selector.matches(pod.labels());
  }

  private static Map<String, String> labelsOf(
      String namespace, Function<String, Map<String, String>> namespaceLabels) {
    Map<String, String> labels = namespaceLabels.apply(namespace);
    return labels == null ? Map.of() : labels;
  }

  static List<PodAffinityTerm> parse(JsonNode terms, String podNamespace) {
    if (!terms.isArray() || terms.isEmpty()) {
      return List.of();
    }
    List<PodAffinityTerm> list = new ArrayList<>(terms.size());
    for (JsonNode term : terms) {
      JsonNode labelSelector = term.path("labelSelector");
      JsonNode nsSelector = term.path("namespaceSelector");
      Set<String> namespaces = new LinkedHashSet<>();
      term.path("namespaces").forEach(n -> namespaces.add(n.asText()));
      boolean hasNsSelector = nsSelector.isObject();
      if (namespaces.isEmpty() && !hasNsSelector) {
        namespaces.add(podNamespace);
      }
      list.add(
          new PodAffinityTerm(
              labelSelector.isObject() ? selector(labelSelector) : null,
              Set.copyOf(namespaces),
              hasNsSelector ? selector(nsSelector) : null,
              term.path("topologyKey").asText("")));
    }
    return List.copyOf(list);
  }

  /** Parsed leniently: a selector that does not parse is taken as none (selects nothing). */
  private static LabelSelector selector(JsonNode spec) {
    try {
      return LabelSelector.fromSpec(spec);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
