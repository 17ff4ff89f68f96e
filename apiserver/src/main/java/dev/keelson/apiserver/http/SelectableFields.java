package dev.keelson.apiserver.http;

import dev.keelson.api.GroupKind;
import dev.keelson.api.selector.FieldSelector;
import dev.keelson.projection.Indexed;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The fields each kind can be selected by, as upstream allows them (of those Keelson indexes). */
final class SelectableFields {

  private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");
  private static final Map<String, Set<String>> BY_KIND =
      Map.of(
          "Pod",
          Set.of("spec.nodeName", "status.phase"),
          "Node",
          Set.of("spec.unschedulable"),
          "Secret",
          Set.of("type"),
          "Event",
          Indexed.FIELDS.stream()
              .filter(
                  f -> f.startsWith("involvedObject.") || f.equals("type") || f.equals("reason"))
              .collect(java.util.stream.Collectors.toUnmodifiableSet()),
          "Namespace",
          Set.of("status.phase"));

  private SelectableFields() {}

  /** The first field of {@code selector} that {@code kind} cannot be selected by, if any. */
  static Optional<String> unsupported(GroupKind kind, FieldSelector selector) {
    Set<String> extra =
        kind.group().isEmpty() ? BY_KIND.getOrDefault(kind.kind(), Set.of()) : Set.of();
    List<FieldSelector.Term> terms = selector.terms();
    for (FieldSelector.Term term : terms) {
      if (!COMMON.contains(term.field()) && !extra.contains(term.field())) {
        return Optional.of(term.field());
      }
    }
    return Optional.empty();
  }
}
