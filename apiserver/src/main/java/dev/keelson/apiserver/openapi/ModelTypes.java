package dev.keelson.apiserver.openapi;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.keelson.api.Json;
import io.fabric8.kubernetes.model.annotation.Group;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the fabric8 model classes say about the Kubernetes types: which class holds a kind, the
 * properties Jackson reads and writes for a class, and the name upstream's OpenAPI gives each type.
 */
final class ModelTypes {

  private static final String MODEL = "io.fabric8.kubernetes.api.model";

  /** Types fabric8 keeps beside core/v1 that upstream defines in meta/v1. */
  private static final Set<String> META_V1 =
      Set.of(
          "ObjectMeta",
          "ListMeta",
          "OwnerReference",
          "ManagedFieldsEntry",
          "LabelSelector",
          "LabelSelectorRequirement",
          "FieldsV1",
          "Status",
          "StatusDetails",
          "StatusCause",
          "DeleteOptions",
          "Preconditions",
          "WatchEvent",
          "Condition",
          "Patch",
          "MicroTime",
          "APIResource",
          "APIResourceList",
          "APIGroup",
          "APIGroupList",
          "APIVersions",
          "GroupVersionForDiscovery",
          "ServerAddressByClientCIDR");

  private static final Map<Class<?>, List<Property>> PROPERTIES = new ConcurrentHashMap<>();

  private ModelTypes() {}

  /** One JSON property of a model class, as Jackson (de)serializes it. */
  record Property(String name, JavaType type) {}

  /** The fabric8 class of {@code group/version} {@code kind}, if fabric8 has one. */
  static Optional<Class<?>> classOf(String group, String version, String kind) {
    String base = MODEL;
    if (!group.isEmpty()) {
      base = MODEL + "." + group.split("\\.")[0];
    }
    for (String pkg : List.of(base + "." + version, base)) {
      try {
        Class<?> type = Class.forName(pkg + "." + kind);
        Group annotation = type.getAnnotation(Group.class);
        String declared = annotation == null ? "" : annotation.value();
        if (declared.equals(group) || kind.endsWith("List")) {
          return Optional.of(type);
        }
      } catch (ClassNotFoundException e) {
        // not in this package: try the next
      }
    }
    return Optional.empty();
  }

  /** The properties Jackson sees on {@code type}, sorted by name as upstream's documents are. */
  static List<Property> properties(Class<?> type) {
    return PROPERTIES.computeIfAbsent(
        type,
        t -> {
          BeanDescription description =
              Json.mapper()
                  .getSerializationConfig()
                  .introspect(Json.mapper().getTypeFactory().constructType(t));
          return description.findProperties().stream()
              .filter(p -> p.couldSerialize() || p.couldDeserialize())
              .map(ModelTypes::property)
              .sorted(Comparator.comparing(Property::name))
              .toList();
        });
  }

  private static Property property(BeanPropertyDefinition definition) {
    return new Property(definition.getName(), definition.getPrimaryType());
  }

  /** Whether {@code type} is a fabric8 model class with properties of its own. */
  static boolean isModel(Class<?> type) {
    return type.getName().startsWith(MODEL + ".")
        && io.fabric8.kubernetes.api.model.KubernetesResource.class.isAssignableFrom(type);
  }

  /**
   * The definition name upstream gives the type of a fabric8 model class, for example {@code
   * io.k8s.api.apps.v1.DeploymentSpec} or {@code io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta}.
   */
  static String definitionName(Class<?> type) {
    String simple = type.getSimpleName();
    String pkg = type.getPackageName();
    if (pkg.equals(MODEL)) {
      return (META_V1.contains(simple)
              ? "io.k8s.apimachinery.pkg.apis.meta.v1."
              : "io.k8s.api.core.v1.")
          + simple;
    }
    String rest = pkg.substring(MODEL.length() + 1);
    // fabric8 keeps apps/v1 without a version package; every other group names its version.
    String groupVersion = rest.contains(".") ? rest : rest + ".v1";
    return "io.k8s.api." + groupVersion + "." + simple;
  }
}
