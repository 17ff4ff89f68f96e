package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/** Upstream's {@code ValidateObjectMeta} and {@code ValidateObjectMetaUpdate}, on JSON trees. */
final class MetaRules {

  /** How a kind's names are checked: upstream's {@code ValidateNameFunc}. */
  enum NameRule {
    DNS_SUBDOMAIN(Formats::dns1123Subdomain),
    DNS_LABEL(Formats::dns1123Label),
    DNS1035_LABEL(Formats::dns1035Label),
    PATH_SEGMENT(Formats::pathSegment);

    private final Function<String, List<String>> check;

    NameRule(Function<String, List<String>> check) {
      this.check = check;
    }

    List<String> check(String name, boolean prefix) {
      if (prefix && this != PATH_SEGMENT && name.endsWith("-")) {
        // A generateName prefix may end in a dash: random characters follow it.
        name = name.substring(0, Math.max(0, name.length() - 2)) + "a";
      }
      return check.apply(name);
    }
  }

  static final int TOTAL_ANNOTATION_SIZE = 256 * 1024;
  private static final Set<String> STANDARD_FINALIZERS =
      Set.of("kubernetes", "orphan", "foregroundDeletion");

  private MetaRules() {}

  static List<FieldCause> create(JsonNode object, boolean namespaced, NameRule rule) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode meta = object.path("metadata");
    String name = meta.path("name").asText("");
    String generateName = meta.path("generateName").asText("");
    if (!generateName.isEmpty()) {
      for (String msg : rule.check(generateName, true)) {
        causes.add(FieldCause.invalid("metadata.generateName", generateName, msg));
      }
    }
    if (name.isEmpty()) {
      if (generateName.isEmpty()) {
        causes.add(FieldCause.required("metadata.name", "name or generateName is required"));
      }
    } else {
      for (String msg : rule.check(name, false)) {
        causes.add(FieldCause.invalid("metadata.name", name, msg));
      }
    }
    String namespace = meta.path("namespace").asText("");
    if (namespaced) {
      if (namespace.isEmpty()) {
        causes.add(FieldCause.required("metadata.namespace", ""));
      } else {
        for (String msg : NameRule.DNS_LABEL.check(namespace, false)) {
          causes.add(FieldCause.invalid("metadata.namespace", namespace, msg));
        }
      }
    } else if (!namespace.isEmpty()) {
      causes.add(FieldCause.forbidden("metadata.namespace", "not allowed on this type"));
    }
    causes.addAll(common(meta));
    return causes;
  }

  static List<FieldCause> update(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode meta = updated.path("metadata");
    JsonNode old = existing.path("metadata");
    if (!old.path("deletionTimestamp").asText("").isEmpty()) {
      List<String> added = new ArrayList<>();
      for (JsonNode f : meta.path("finalizers")) {
        if (!contains(old.path("finalizers"), f.asText())) {
          added.add(GoValue.quote(f.asText()));
        }
      }
      if (!added.isEmpty()) {
        causes.add(
            FieldCause.forbidden(
                "metadata.finalizers",
                "no new finalizers can be added if the object is being deleted, found new"
                    + " finalizers []string{"
                    + String.join(", ", added)
                    + "}"));
      }
    }
    long generation = meta.path("generation").asLong(0);
    if (generation < old.path("generation").asLong(0)) {
      causes.add(FieldCause.invalid("metadata.generation", generation, "must not be decremented"));
    }
    immutable(causes, meta, old, "name");
    immutable(causes, meta, old, "namespace");
    // An update that leaves these out keeps the stored values, as upstream's BeforeUpdate does.
    immutableWhenSet(causes, meta, old, "uid");
    immutableWhenSet(causes, meta, old, "creationTimestamp");
    immutableWhenSet(causes, meta, old, "deletionTimestamp");
    causes.addAll(common(meta));
    return causes;
  }

  private static void immutable(List<FieldCause> causes, JsonNode meta, JsonNode old, String key) {
    String now = meta.path(key).asText("");
    if (!now.equals(old.path(key).asText(""))) {
      causes.add(FieldCause.invalid("metadata." + key, now, "field is immutable"));
    }
  }

  private static void immutableWhenSet(
      List<FieldCause> causes, JsonNode meta, JsonNode old, String key) {
    if (!meta.path(key).asText("").isEmpty()) {
      immutable(causes, meta, old, key);
    }
  }

  private static List<FieldCause> common(JsonNode meta) {
    List<FieldCause> causes = new ArrayList<>();
    long generation = meta.path("generation").asLong(0);
    if (generation < 0) {
      causes.add(FieldCause.invalid("metadata.generation", generation, Checks.NEGATIVE));
    }
    causes.addAll(labels(meta.path("labels"), "metadata.labels"));
    causes.addAll(annotations(meta.path("annotations"), "metadata.annotations"));
    causes.addAll(ownerReferences(meta.path("ownerReferences")));
    causes.addAll(finalizers(meta.path("finalizers"), "metadata.finalizers", true));
    return causes;
  }

  static List<FieldCause> labels(JsonNode labels, String path) {
    List<FieldCause> causes = new ArrayList<>();
    labels
        .fields()
        .forEachRemaining(
            e -> {
              for (String msg : Formats.qualifiedName(e.getKey())) {
                causes.add(FieldCause.invalid(path, e.getKey(), msg));
              }
              String value = e.getValue().asText();
              for (String msg : Formats.labelValue(value)) {
                causes.add(FieldCause.invalid(path, value, msg));
              }
            });
    return causes;
  }

  static List<FieldCause> annotations(JsonNode annotations, String path) {
    List<FieldCause> causes = new ArrayList<>();
    long[] size = {0};
    annotations
        .fields()
        .forEachRemaining(
            e -> {
              // Annotation keys are qualified names in which case does not matter.
              for (String msg : Formats.qualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
                causes.add(FieldCause.invalid(path, e.getKey(), msg));
              }
              size[0] += Formats.byteLength(e.getKey()) + Formats.byteLength(e.getValue().asText());
            });
    if (size[0] > TOTAL_ANNOTATION_SIZE) {
      causes.add(FieldCause.tooLong(path, TOTAL_ANNOTATION_SIZE));
    }
    return causes;
  }

  private static List<FieldCause> ownerReferences(JsonNode references) {
    List<FieldCause> causes = new ArrayList<>();
    String path = "metadata.ownerReferences";
    String firstController = null;
    for (JsonNode ref : references) {
      String apiVersion = ref.path("apiVersion").asText("");
      String version =
          apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
      if (version.isEmpty()) {
        causes.add(
            FieldCause.invalid(path + ".apiVersion", apiVersion, "version must not be empty"));
      }
      for (String key : List.of("kind", "name", "uid")) {
        String value = ref.path(key).asText("");
        if (value.isEmpty()) {
          causes.add(FieldCause.invalid(path + "." + key, value, "must not be empty"));
        }
      }
      if (ref.path("controller").asBoolean(false)) {
        String current = ref.path("kind").asText("") + "/" + ref.path("name").asText("");
        if (firstController != null) {
          causes.add(
              FieldCause.invalid(
                  path,
                  new GoValue.Raw("[]v1.OwnerReference{...}"),
                  "Only one reference can have Controller set to true. Found \"true\" in"
                      + " references for "
                      + firstController
                      + " and "
                      + current));
        } else {
          firstController = current;
        }
      }
    }
    return causes;
  }

  /**
   * @param indexed whether a non-standard name is reported at its index, as for metadata, or at the
   *     list, as upstream does for a namespace's spec
   */
  static List<FieldCause> finalizers(JsonNode finalizers, String path, boolean indexed) {
    List<FieldCause> causes = new ArrayList<>();
    boolean orphan = false;
    boolean foreground = false;
    for (int i = 0; i < finalizers.size(); i++) {
      String name = finalizers.get(i).asText("");
      for (String msg : Formats.qualifiedName(name)) {
        causes.add(FieldCause.invalid(path, name, msg));
      }
      if (!name.contains("/") && !STANDARD_FINALIZERS.contains(name)) {
        causes.add(
            FieldCause.invalid(
                indexed ? path + "[" + i + "]" : path,
                name,
                "name is neither a standard finalizer name nor is it fully qualified"));
      }
      orphan |= name.equals("orphan");
      foreground |= name.equals("foregroundDeletion");
    }
    if (orphan && foreground) {
      causes.add(
          FieldCause.invalid(
              path,
              new GoValue.Raw(Checks.stringSlice(finalizers)),
              "finalizer orphan and foregroundDeletion cannot be both set"));
    }
    return causes;
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode each : array) {
      if (Objects.equals(each.asText(), value)) {
        return true;
      }
    }
    return false;
  }
}
