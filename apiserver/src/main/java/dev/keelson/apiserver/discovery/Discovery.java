package dev.keelson.apiserver.discovery;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents kubectl reads to learn what the server serves: {@code /api}, {@code
 * /api/v1}, {@code /apis} and {@code /apis/GROUP/VERSION}, in upstream's JSON shapes (the fabric8
 * model types).
 */
public final class Discovery {

  /** Keelson's own group: the history, who changed what. */
  public static final String AUDIT_GROUP = "audit.keelson.dev";

  private final ResourceRegistry registry;
  private final boolean audit;

  public Discovery(ResourceRegistry registry) {
    this(registry, false);
  }

  /** With {@code audit}, discovery shows Keelson's own group audit.keelson.dev/v1 too. */
  public Discovery(ResourceRegistry registry, boolean audit) {
    this.registry = registry;
    this.audit = audit;
  }

  /** {@code /api}: the core group's versions. */
  public APIVersions coreVersions(String serverAddress) {
    return new APIVersionsBuilder()
        .withVersions("v1")
        .addNewServerAddressByClientCIDR("0.0.0.0/0", serverAddress)
        .build();
  }

  /** {@code /apis}: every named group, one preferred version each. */
  public APIGroupList groups() {
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    for (ResourceType type : registry.all()) {
      if (!type.group().isEmpty()) {
        List<String> versions =
            versionsByGroup.computeIfAbsent(type.group(), g -> new ArrayList<>());
        if (!versions.contains(type.version())) {
          versions.add(type.version());
        }
      }
    }
    List<APIGroup> groups = new ArrayList<>();
    versionsByGroup.forEach(
        (group, versions) -> {
          List<GroupVersionForDiscovery> forDiscovery = new ArrayList<>();
          for (String version : versions) {
            forDiscovery.add(new GroupVersionForDiscovery(group + "/" + version, version));
          }
          groups.add(
              new APIGroupBuilder()
                  .withName(group)
                  .withVersions(forDiscovery)
                  .withPreferredVersion(forDiscovery.get(0))
                  .build());
        });
    if (audit) {
      GroupVersionForDiscovery v1 = new GroupVersionForDiscovery(AUDIT_GROUP + "/v1", "v1");
      groups.add(
          new APIGroupBuilder()
              .withName(AUDIT_GROUP)
              .withVersions(v1)
              .withPreferredVersion(v1)
              .build());
    }
    return new APIGroupListBuilder().withGroups(groups).build();
  }

  /**
   * {@code /api/v1} or {@code /apis/GROUP/VERSION}; empty when that group version is not served.
   */
  public Optional<APIResourceList> resources(String group, String version) {
    String groupVersion = group.isEmpty() ? version : group + "/" + version;
    if (audit && group.equals(AUDIT_GROUP) && version.equals("v1")) {
      return Optional.of(audit());
    }
    List<ResourceType> types = registry.byGroupVersion().get(groupVersion);
    if (types == null) {
      return Optional.empty();
    }
    List<APIResource> resources = new ArrayList<>();
    for (ResourceType type : types) {
      resources.add(
          new APIResourceBuilder()
              .withName(type.plural())
              .withSingularName(type.singular())
              .withNamespaced(type.namespaced())
              .withKind(type.kind())
              .withVerbs(ResourceRegistry.verbs(type))
              .withShortNames(type.shortNames().isEmpty() ? null : type.shortNames())
              .withCategories(type.categories().isEmpty() ? null : type.categories())
              .build());
      for (String subresource : type.subresources()) {
        resources.add(subresource(type, subresource));
      }
    }
    return Optional.of(
        new APIResourceListBuilder()
            .withGroupVersion(groupVersion)
            .withResources(resources)
            .build());
  }

  /**
   * The history: read with GET and query parameters, not an object store, so only "get" is
   * advertised (kubectl would list it as objects, which its items are not).
   */
  private static APIResourceList audit() {
    return new APIResourceListBuilder()
        .withGroupVersion(AUDIT_GROUP + "/v1")
        .withResources(
            new APIResourceBuilder()
                .withName("history")
                .withSingularName("history")
                .withNamespaced(false)
                .withKind("HistoryList")
                .withVerbs("get")
                .build())
        .build();
  }

  private static APIResource subresource(ResourceType type, String subresource) {
    APIResourceBuilder builder =
        new APIResourceBuilder()
            .withName(type.plural() + "/" + subresource)
            .withSingularName("")
            .withNamespaced(type.namespaced());
    return switch (subresource) {
      case "scale" ->
          builder
              .withGroup("autoscaling")
              .withVersion("v1")
              .withKind("Scale")
              .withVerbs("get", "patch", "update")
              .build();
      case "binding" -> builder.withKind("Binding").withVerbs("create").build();
      case "log" -> builder.withKind("Pod").withVerbs("get").build();
      case "finalize" -> builder.withKind(type.kind()).withVerbs("update").build();
      default -> builder.withKind(type.kind()).withVerbs("get", "patch", "update").build();
    };
  }
}
