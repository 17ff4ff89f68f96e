package dev.keelson.reconcilers.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.ResourceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is left in a namespace being deleted, and the status conditions upstream's namespace
 * controller reports about it (NamespaceContentRemaining, NamespaceFinalizersRemaining,
 * NamespaceDeletionContentFailure and the two it always reports as fine).
 *
 * @param resources how many objects remain, by resource (pods, deployments.apps, ...)
 * @param finalizers how many of them each finalizer still holds
 * @param failed resources whose deletion was refused
 */
record NamespaceContent(
    Map<String, Integer> resources, Map<String, Integer> finalizers, List<String> failed) {

  /** What remains of {@code objects} (each with its finalizers), and what failed to go. */
  static NamespaceContent of(Map<ResourceKey, JsonNode> objects, Collection<String> failed) {
    Map<String, Integer> resources = new TreeMap<>();
    Map<String, Integer> finalizers = new TreeMap<>();
    objects.forEach(
        (key, object) -> {
          resources.merge(resource(key), 1, Integer::sum);
          for (JsonNode f : object.path("metadata").path("finalizers")) {
            finalizers.merge(f.asText(), 1, Integer::sum);
          }
        });
    return new NamespaceContent(resources, finalizers, List.copyOf(failed));
  }

  boolean empty() {
    return resources.isEmpty();
  }

  /** The conditions as they should read, with {@code now} as the time of any that changed. */
  ArrayNode conditions(JsonNode previous, String now) {
    ArrayNode conditions = JsonNodeFactory.instance.arrayNode();
    add(
        conditions,
        previous,
        now,
        "NamespaceDeletionDiscoveryFailure",
        false,
        "ResourcesDiscovered",
        "All resources successfully discovered");
    add(
        conditions,
        previous,
        now,
        "NamespaceDeletionGroupVersionParsingFailure",
        false,
        "ParsedGroupVersions",
        "All legacy kube types successfully parsed");
    add(
        conditions,
        previous,
        now,
        "NamespaceDeletionContentFailure",
        !failed.isEmpty(),
        failed.isEmpty() ? "ContentDeleted" : "ContentDeletionFailed",
        failed.isEmpty()
            ? "All content successfully deleted, may be waiting on finalization"
            : "Failed to delete all resource types, "
                + failed.size()
                + " remaining: "
                + String.join(", ", failed));
    add(
        conditions,
        previous,
        now,
        "NamespaceContentRemaining",
        !resources.isEmpty(),
        resources.isEmpty() ? "ContentRemoved" : "SomeResourcesRemain",
        resources.isEmpty()
            ? "All content successfully removed"
            : "Some resources are remaining: " + counted(resources, " has %d resource instances"));
    add(
        conditions,
        previous,
        now,
        "NamespaceFinalizersRemaining",
        !finalizers.isEmpty(),
        finalizers.isEmpty() ? "ContentHasNoFinalizers" : "SomeFinalizersRemain",
        finalizers.isEmpty()
            ? "All content-preserving finalizers finished"
            : "Some content in the namespace has finalizers remaining: "
                + counted(finalizers, " in %d resource instances"));
    return conditions;
  }

  /** The resource a kind is served as (upstream's group resource: pods, deployments.apps). */
  static String resource(ResourceKey key) {
    String plural = plural(key.kind().toLowerCase(Locale.ROOT));
    return key.group().isEmpty() ? plural : plural + "." + key.group();
  }

  /** The plural of a lower-case kind, as Kubernetes names its resources. */
  static String plural(String kind) {
    if (kind.equals("endpoints")) {
      return kind;
    }
    if (kind.endsWith("s") || kind.endsWith("x") || kind.endsWith("ch") || kind.endsWith("sh")) {
      return kind + "es";
    }
    if (kind.endsWith("y")
        && kind.length() > 1
        && "aeiou".indexOf(kind.charAt(kind.length() - 2)) < 0) {
      return kind.substring(0, kind.length() - 1) + "ies";
    }
    return kind + "s";
  }

  private static String counted(Map<String, Integer> counts, String format) {
    List<String> parts = new ArrayList<>();
    counts.forEach((name, n) -> parts.add(name + String.format(format, n)));
    return String.join(", ", parts);
  }

  private static void add(
      ArrayNode conditions,
      JsonNode previous,
      String now,
      String type,
      boolean status,
      String reason,
      String message) {
    String value = status ? "True" : "False";
    String since = now;
    for (JsonNode old : previous) {
      if (type.equals(old.path("type").asText()) && value.equals(old.path("status").asText())) {
        since = old.path("lastTransitionTime").asText(now);
      }
    }
    ObjectNode condition = conditions.addObject();
    condition.put("type", type);
    condition.put("status", value);
    condition.put("lastTransitionTime", since);
    condition.put("reason", reason);
    condition.put("message", message);
  }
}
