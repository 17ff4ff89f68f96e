package dev.keelson.apiserver.discovery;

import dev.keelson.api.GroupKind;
import java.util.List;

/**
 * One resource the API serves: where it lives (group, version, plural), what it is (kind,
 * namespaced or cluster-scoped), how kubectl may name it (singular, short names, categories), and
 * its subresources.
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> subresources) {

  public static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  public ResourceType {
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    subresources = List.copyOf(subresources);
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public GroupKind groupKind() {
    return new GroupKind(group, kind);
  }
}
