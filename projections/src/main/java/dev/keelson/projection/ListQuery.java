package dev.keelson.projection;

import dev.keelson.api.GroupKind;
import java.util.Map;

/**
 * Which objects of a kind a list wants (of every kind when {@code kind} is null, for the few
 * readers that follow all objects, such as the garbage collector): one namespace or all ({@code
 * namespace == null}), and labels and fields that must equal the given values. Richer selectors
 * (set-based labels, inequalities) are applied by the caller to the result.
 */
public record ListQuery(
    GroupKind kind, String namespace, Map<String, String> labels, Map<String, String> fields) {

  public ListQuery {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    fields = fields == null ? Map.of() : Map.copyOf(fields);
  }

  public static ListQuery all(GroupKind kind) {
    return new ListQuery(kind, null, Map.of(), Map.of());
  }

  /** Every object of every kind. */
  public static ListQuery everyKind() {
    return new ListQuery(null, null, Map.of(), Map.of());
  }

  public static ListQuery in(GroupKind kind, String namespace) {
    return new ListQuery(kind, namespace, Map.of(), Map.of());
  }

  public ListQuery withLabels(Map<String, String> labels) {
    return new ListQuery(kind, namespace, labels, fields);
  }

  public ListQuery withFields(Map<String, String> fields) {
    return new ListQuery(kind, namespace, labels, fields);
  }

  boolean matches(StoredObject object) {
    if (namespace != null && !namespace.equals(object.key().namespace())) {
      return false;
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!e.getValue().equals(object.labels().get(e.getKey()))) {
        return false;
      }
    }
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (!e.getValue().equals(object.fields().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
