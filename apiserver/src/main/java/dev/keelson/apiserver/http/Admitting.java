package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.write.Admission;
import dev.keelson.write.WriteRefusedException;
import java.util.Optional;

/**
 * What an object must be to be written: the kind, version, namespace and name its path decides,
 * then upstream's defaulting and validation, and a size limit.
 */
final class Admitting {

  /** The largest object Keelson stores, as etcd's default request limit bounds upstream. */
  static final int MAX_OBJECT_BYTES = 1536 * 1024;

  private Admitting() {}

  /** Fills in and checks what the path decides: kind, apiVersion, namespace, name. */
  static Optional<ApiStatus> path(
      ResourceType type, String namespace, String name, ObjectNode object) {
    String kind = object.path("kind").asText("");
    String apiVersion = object.path("apiVersion").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      return Optional.of(
          ApiStatus.badRequest(
              "the kind of the provided object ("
                  + kind
                  + ") does not match the kind of the request ("
                  + type.kind()
                  + ")"));
    }
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      return Optional.of(
          ApiStatus.badRequest(
              "the API version in the data ("
                  + apiVersion
                  + ") does not match the expected API version ("
                  + type.apiVersion()
                  + ")"));
    }
    object.put("kind", type.kind());
    object.put("apiVersion", type.apiVersion());
    if (!object.path("metadata").isObject() && !object.path("metadata").isMissingNode()) {
      return Optional.of(ApiStatus.badRequest("metadata must be an object"));
    }
    ObjectNode metadata = Meta.metadata(object);
    if (type.namespaced()) {
      String given = metadata.path("namespace").asText("");
      if (!given.isEmpty() && !given.equals(namespace)) {
        return Optional.of(
            ApiStatus.badRequest(
                "the namespace of the provided object does not match the namespace sent on the"
                    + " request"));
      }
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    String objectName = Meta.name(object);
    if (name != null && !objectName.isEmpty() && !objectName.equals(name)) {
      return Optional.of(
          ApiStatus.badRequest(
              "the name of the object ("
                  + objectName
                  + ") does not match the name on the URL ("
                  + name
                  + ")"));
    }
    if (name != null && objectName.isEmpty()) {
      metadata.put("name", name);
    }
    return Optional.empty();
  }

  /** Defaults and validates a new object; throws {@link WriteRefusedException} with a status. */
  static void create(ResourceType type, ObjectNode object) {
    foldStringData(type, object);
    Validating.create(type, object);
    checkSize(type, object);
  }

  /** The admission of an update: defaults, validates against the current object, checks size. */
  static Admission update(ResourceType type) {
    return (after, before) -> {
      foldStringData(type, after);
      Validating.update(type, after, before);
      checkSize(type, after);
    };
  }

  /** The admission of a status update. */
  static Admission status(ResourceType type) {
    return (after, before) -> checkSize(type, after);
  }

  /** A Secret's stringData is write-only: it is merged into data, base64-encoded, as upstream. */
  private static void foldStringData(ResourceType type, ObjectNode object) {
    if (!type.kind().equals("Secret") || !type.group().isEmpty()) {
      return;
    }
    com.fasterxml.jackson.databind.JsonNode strings = object.remove("stringData");
    if (strings == null || !strings.isObject()) {
      return;
    }
    ObjectNode data = object.with("data");
    strings
        .fields()
        .forEachRemaining(
            e ->
                data.put(
                    e.getKey(),
                    java.util.Base64.getEncoder()
                        .encodeToString(
                            e.getValue()
                                .asText()
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  private static void checkSize(ResourceType type, ObjectNode object) {
    int size = Json.bytes(object).length;
    if (size > MAX_OBJECT_BYTES) {
      ApiStatus status =
          new ApiStatus(
              413,
              "RequestEntityTooLarge",
              "Request entity too large: the object is "
                  + size
                  + " bytes, the limit is "
                  + MAX_OBJECT_BYTES,
              ApiHandler.resourceName(type),
              Meta.name(object));
      throw new WriteRefusedException(status, status.message());
    }
  }
}
