package dev.keelson.apiserver.http;

import dev.keelson.apiserver.discovery.Discovery;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.apiserver.discovery.ResourceType;
import java.util.ArrayList;
import java.util.List;

/** What a request path of the Kubernetes API names. */
public sealed interface ApiPath {

  record Version() implements ApiPath {}

  record CoreVersions() implements ApiPath {}

  record Groups() implements ApiPath {}

  /** {@code /api/v1} or {@code /apis/GROUP/VERSION}. */
  record Resources(String group, String version) implements ApiPath {}

  /** A collection ({@code name == null}) or one object, maybe a subresource of it. */
  record Resource(
      ResourceType type, String namespace, String name, String subresource, boolean watchPath)
      implements ApiPath {}

  /** {@code /apis/audit.keelson.dev/v1/history}: Keelson's own, who changed what. */
  record History() implements ApiPath {}

  record Unknown() implements ApiPath {}

  static ApiPath parse(String path, ResourceRegistry registry) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    if (parts.equals(List.of("version"))) {
      return new Version();
    }
    String group;
    String version;
    List<String> rest;
    if (!parts.isEmpty() && parts.get(0).equals("api")) {
      if (parts.size() == 1) {
        return new CoreVersions();
      }
      group = "";
      version = parts.get(1);
      rest = parts.subList(2, parts.size());
    } else if (!parts.isEmpty() && parts.get(0).equals("apis")) {
      if (parts.size() == 1) {
        return new Groups();
      }
      if (parts.size() == 2) {
        return new Unknown();
      }
      group = parts.get(1);
      version = parts.get(2);
      rest = parts.subList(3, parts.size());
    } else {
      return new Unknown();
    }
    if (rest.isEmpty()) {
      return new Resources(group, version);
    }
    if (group.equals(Discovery.AUDIT_GROUP)) {
      return version.equals("v1") && rest.equals(List.of("history"))
          ? new History()
          : new Unknown();
    }
    // The deprecated /watch/ prefix: /api/v1/watch/namespaces/NS/pods[/NAME].
    boolean watchPath = rest.get(0).equals("watch") && rest.size() > 1;
    if (watchPath) {
      rest = rest.subList(1, rest.size());
    }
    String namespace = null;
    if (rest.size() == 3
        && rest.get(0).equals("namespaces")
        && registry.find(group, version, rest.get(2)).isEmpty()) {
      // namespaces/NAME/status or /finalize: a subresource of the namespace, not a collection in
      // it.
      ResourceType namespaces = registry.find(group, version, "namespaces").orElse(null);
      if (namespaces == null || watchPath || !namespaces.subresources().contains(rest.get(2))) {
        return new Unknown();
      }
      return new Resource(namespaces, null, rest.get(1), rest.get(2), false);
    }
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.size() > 3) {
      return new Unknown();
    }
    ResourceType type = registry.find(group, version, rest.get(0)).orElse(null);
    if (type == null || (namespace != null && !type.namespaced())) {
      return new Unknown();
    }
    String name = rest.size() > 1 ? rest.get(1) : null;
    String subresource = rest.size() > 2 ? rest.get(2) : null;
    if (subresource != null && (watchPath || !type.subresources().contains(subresource))) {
      return new Unknown();
    }
    return new Resource(type, namespace, name, subresource, watchPath);
  }
}
