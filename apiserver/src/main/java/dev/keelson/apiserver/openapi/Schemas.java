package dev.keelson.apiserver.openapi;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI v2 definitions of the Kubernetes types, read from the fabric8 model classes: one
 * definition per class, named as upstream names it, properties as Jackson sees them, references as
 * {@code #/definitions/NAME}.
 */
final class Schemas {

  static final String V2_REF = "#/definitions/";
  static final String V3_REF = "#/components/schemas/";
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  private static final String TIME = META + "Time";
  private static final String MICRO_TIME = META + "MicroTime";
  private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  private static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  private static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";

  private final Map<String, ObjectNode> definitions = new TreeMap<>();

  /** The definitions so far, by name, in name order. */
  Map<String, ObjectNode> definitions() {
    return definitions;
  }

  /**
   * Defines the class of a kind (and every type it reaches) and marks the definition with
   * x-kubernetes-group-version-kind, which kubectl uses to find the schema of a kind.
   */
  String defineKind(Class<?> type, String group, String version, String kind) {
    String name = define(type);
    ArrayNode gvks = definitions.get(name).withArray("x-kubernetes-group-version-kind");
    ObjectNode gvk = gvk(group, version, kind);
    for (JsonNode existing : gvks) {
      if (existing.equals(gvk)) {
        return name;
      }
    }
    gvks.add(gvk);
    return name;
  }

  static ObjectNode gvk(String group, String version, String kind) {
    ObjectNode gvk = Json.object();
    gvk.put("group", group);
    gvk.put("kind", kind);
    gvk.put("version", version);
    return gvk;
  }

  /** Defines a model class and the classes its properties reach; answers its definition name. */
  String define(Class<?> type) {
    String name = ModelTypes.definitionName(type);
    if (definitions.containsKey(name)) {
      return name;
    }
    ObjectNode schema = Json.object();
    definitions.put(name, schema); // before the properties, so a cycle ends here
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (ModelTypes.Property property : ModelTypes.properties(type)) {
      ObjectNode field = schemaOf(property.type(), property.name());
      StructTags.annotate(name, property.name(), field);
      properties.set(property.name(), field);
    }
    return name;
  }

  private ObjectNode schemaOf(JavaType type, String field) {
    Class<?> raw = type.getRawClass();
    if (raw == String.class) {
      return StructTags.isTime(field)
          ? leaf(TIME, "string", "date-time")
          : primitive("string", null);
    }
    if (raw == Integer.class || raw == int.class || raw == Short.class) {
      return primitive("integer", "int32");
    }
    if (raw == Long.class || raw == long.class) {
      return primitive("integer", "int64");
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return primitive("boolean", null);
    }
    if (raw == Double.class || raw == Float.class || raw == BigDecimal.class) {
      return primitive("number", "double");
    }
    if (type.isCollectionLikeType() || type.isArrayType()) {
      ObjectNode array = primitive("array", null);
      array.set("items", schemaOf(type.getContentType(), ""));
      return array;
    }
    if (type.isMapLikeType()) {
      ObjectNode map = primitive("object", null);
      map.set("additionalProperties", schemaOf(type.getContentType(), ""));
      return map;
    }
    if (raw == Quantity.class) {
      return leaf(QUANTITY, "string", null);
    }
    if (raw == IntOrString.class) {
      return leaf(INT_OR_STRING, "string", "int-or-string");
    }
    if (raw == MicroTime.class || Temporal.class.isAssignableFrom(raw)) {
      return leaf(MICRO_TIME, "string", "date-time");
    }
    if (raw == io.fabric8.kubernetes.api.model.Duration.class || raw == java.time.Duration.class) {
      return primitive("string", null);
    }
    if (raw == FieldsV1.class) {
      return leaf(META + "FieldsV1", "object", null);
    }
    if (ModelTypes.isModel(raw) && !raw.isInterface()) {
      return ref(define(raw));
    }
    // Object, JsonNode, AnyType, an interface: any JSON, as upstream's runtime.RawExtension.
    return leaf(RAW_EXTENSION, "object", null);
  }

  private ObjectNode leaf(String name, String type, String format) {
    definitions.computeIfAbsent(name, n -> primitive(type, format));
    return ref(name);
  }

  private static ObjectNode primitive(String type, String format) {
    ObjectNode schema = Json.object();
    schema.put("type", type);
    if (format != null) {
      schema.put("format", format);
    }
    return schema;
  }

  static ObjectNode ref(String definition) {
    ObjectNode ref = Json.object();
    ref.put("$ref", V2_REF + definition);
    return ref;
  }

  /** A copy of {@code node} whose references point at OpenAPI v3's components instead. */
  static JsonNode toV3(JsonNode node) {
    JsonNode copy = node.deepCopy();
    rebase(copy);
    return copy;
  }

  private static void rebase(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith(V2_REF)) {
        object.put("$ref", V3_REF + ref.asText().substring(V2_REF.length()));
      }
    }
    node.forEach(Schemas::rebase);
  }
}
