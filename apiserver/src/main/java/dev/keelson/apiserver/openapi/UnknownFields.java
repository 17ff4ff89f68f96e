package dev.keelson.apiserver.openapi;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import io.fabric8.kubernetes.api.model.FieldsV1;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The fields of an object that its kind does not have, found with the same fabric8 classes the
 * OpenAPI documents describe. What kube-apiserver reports for {@code fieldValidation=Strict} (an
 * error) or {@code Warn} (a warning): paths like {@code spec.template.spec.containers[0].imagee}.
 */
public final class UnknownFields {

  private UnknownFields() {}

  /**
   * The paths of the unknown fields of {@code object}, a {@code kind} at the version its apiVersion
   * names, in document order; empty when every field is known or the kind has no model class.
   */
  public static List<String> find(GroupKind kind, JsonNode object) {
    return collect(kind, object, false);
  }

  /**
   * Removes the unknown fields of {@code object}, as decoding into the kind's types drops them
   * upstream, and returns their paths.
   */
  public static List<String> prune(
      GroupKind kind, com.fasterxml.jackson.databind.node.ObjectNode object) {
    return collect(kind, object, true);
  }

  private static List<String> collect(GroupKind kind, JsonNode object, boolean remove) {
    String apiVersion = object.path("apiVersion").asText("");
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    List<String> found = new ArrayList<>();
    ModelTypes.classOf(kind.group(), version, kind.kind())
        .ifPresent(
            type ->
                walk(
                    Json.mapper().getTypeFactory().constructType(type), object, "", found, remove));
    return found;
  }

  /**
   * The error kube-apiserver answers (400 BadRequest) when {@code fieldValidation} is Strict and
   * {@code object} has unknown fields; empty otherwise.
   */
  public static Optional<String> strictError(
      String fieldValidation, GroupKind kind, JsonNode object) {
    if (!"Strict".equals(fieldValidation)) {
      return Optional.empty();
    }
    List<String> unknown = find(kind, object);
    if (unknown.isEmpty()) {
      return Optional.empty();
    }
    String apiVersion = object.path("apiVersion").asText("");
    return Optional.of(
        kind.kind()
            + " in version \""
            + apiVersion.substring(apiVersion.indexOf('/') + 1)
            + "\" cannot be handled as a "
            + kind.kind()
            + ": strict decoding error: "
            + unknown.stream()
                .map(p -> "unknown field \"" + p + "\"")
                .collect(Collectors.joining(", ")));
  }

  private static void walk(
      JavaType type, JsonNode node, String path, List<String> found, boolean remove) {
    Class<?> raw = type.getRawClass();
    if (node.isArray() && (type.isCollectionLikeType() || type.isArrayType())) {
      for (int i = 0; i < node.size(); i++) {
        walk(type.getContentType(), node.get(i), path + "[" + i + "]", found, remove);
      }
    } else if (node.isObject() && type.isMapLikeType()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        walk(
            type.getContentType(),
            entry.getValue(),
            path + "[" + entry.getKey() + "]",
            found,
            remove);
      }
    } else if (node.isObject()
        && ModelTypes.isModel(raw)
        && !raw.isInterface()
        && raw != FieldsV1.class) {
      Map<String, ModelTypes.Property> properties =
          ModelTypes.properties(raw).stream()
              .collect(Collectors.toMap(ModelTypes.Property::name, Function.identity()));
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String field = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
        ModelTypes.Property property = properties.get(entry.getKey());
        if (property == null) {
          found.add(field);
          if (remove) {
            it.remove();
          }
        } else {
          walk(property.type(), entry.getValue(), field, found, remove);
        }
      }
    }
  }
}
