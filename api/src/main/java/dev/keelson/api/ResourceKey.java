package dev.keelson.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The identity of one API object: {@code <group>/<kind>/<namespace>/<name>}, the Kafka record key
 * of every change of that object. The core group and cluster-scoped namespaces are empty strings.
 */
public record ResourceKey(String group, String kind, String namespace, String name)
    implements Comparable<ResourceKey> {

  public ResourceKey {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  public static ResourceKey of(String group, String kind, String namespace, String name) {
    return new ResourceKey(
        group == null ? "" : group, kind, namespace == null ? "" : namespace, name);
  }

  /** The key of an object from its apiVersion, kind, metadata.namespace and metadata.name. */
  public static ResourceKey of(JsonNode object) {
    String apiVersion = text(object, "apiVersion");
    String kind = text(object, "kind");
    JsonNode metadata = object.path("metadata");
    String name = metadata.path("name").asText("");
    if (kind.isEmpty() || name.isEmpty()) {
      throw new IllegalArgumentException("an object needs kind and metadata.name");
    }
    return new ResourceKey(groupOf(apiVersion), kind, metadata.path("namespace").asText(""), name);
  }

  /** Parses {@code <group>/<kind>/<namespace>/<name>}. */
  public static ResourceKey parse(String key) {
    String[] parts = key.split("/", -1);
    if (parts.length != 4 || parts[1].isEmpty() || parts[3].isEmpty()) {
      throw new IllegalArgumentException("not a resource key: " + key);
    }
    return new ResourceKey(parts[0], parts[1], parts[2], parts[3]);
  }

  /** The API group of an apiVersion: {@code apps/v1 -> apps}, {@code v1 -> ""}. */
  public static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public GroupKind groupKind() {
    return new GroupKind(group, kind);
  }

  public boolean clusterScoped() {
    return namespace.isEmpty();
  }

  @Override
  public int compareTo(ResourceKey o) {
    int c = group.compareTo(o.group);
    if (c == 0) c = kind.compareTo(o.kind);
    if (c == 0) c = namespace.compareTo(o.namespace);
    if (c == 0) c = name.compareTo(o.name);
    return c;
  }

  @Override
  public String toString() {
    return group + "/" + kind + "/" + namespace + "/" + name;
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).asText("");
  }
}
