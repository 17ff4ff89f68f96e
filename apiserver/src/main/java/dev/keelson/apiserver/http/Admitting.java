package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.apiserver.admission.Defaulting;
import dev.keelson.apiserver.admission.FieldCause;
import dev.keelson.apiserver.admission.ObjectSize;
import dev.keelson.apiserver.admission.ServiceAllocator;
import dev.keelson.apiserver.admission.Validation;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.apiserver.openapi.UnknownFields;
import dev.keelson.write.Admission;
import dev.keelson.write.WriteRefusedException;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What an object must be to be written: the kind, version, namespace and name its path decides,
 * then upstream's defaulting and validation, and a size limit.
 */
final class Admitting {

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

  /**
   * Fields the kind does not have, as upstream's {@code fieldValidation} says: Strict (what kubectl
   * sends) refuses them with 400; Warn (the default) drops them and says so in a {@code Warning}
   * header per field; Ignore drops them silently.
   */
  static Optional<ApiStatus> unknownFields(
      HttpServerRequest request, ResourceType type, ObjectNode object) {
    return unknownFields(
        request.getParam("fieldValidation"),
        type,
        object,
        field ->
            request
                .response()
                .headers()
                .add("Warning", "299 - \"unknown field \\\"" + field + "\\\"\""));
  }

  /** The same, with the Warn warnings given to {@code warn}. */
  static Optional<ApiStatus> unknownFields(
      String validation, ResourceType type, ObjectNode object, Consumer<String> warn) {
    if (validation == null || validation.isEmpty()) {
      validation = "Warn";
    }
    switch (validation) {
      case "Strict":
        return UnknownFields.strictError(validation, type.groupKind(), object)
            .map(ApiStatus::badRequest);
      case "Warn":
        UnknownFields.prune(type.groupKind(), object).forEach(warn);
        return Optional.empty();
      case "Ignore":
        UnknownFields.prune(type.groupKind(), object);
        return Optional.empty();
      default:
        return Optional.of(
            ApiStatus.badRequest(
                "fieldValidation: Unsupported value: \""
                    + validation
                    + "\": supported values: \"Ignore\", \"Warn\", \"Strict\""));
    }
  }

  /**
   * The admission of a create: upstream's defaults, validation, the allocation of a Service's
   * values, and the size limit.
   */
  static Admission create(ResourceType type, ServiceAllocator allocator) {
    return (object, none) -> {
      Defaulting.apply(type.groupKind(), object);
      refuseInvalid(type, object, Validation.validateCreate(type.groupKind(), object));
      refuseInvalid(type, object, allocator.allocate(type.groupKind(), object, null));
      checkSize(type, object);
    };
  }

  /**
   * The admission of an update: defaults, validation against the current object, allocation of what
   * the update needs anew, size.
   */
  static Admission update(ResourceType type, ServiceAllocator allocator) {
    return (after, before) -> {
      Defaulting.applyUpdate(type.groupKind(), after, before);
      refuseInvalid(type, after, Validation.validateUpdate(type.groupKind(), after, before));
      refuseInvalid(type, after, allocator.allocate(type.groupKind(), after, before));
      checkSize(type, after);
    };
  }

  /** The admission of a status update. */
  static Admission status(ResourceType type) {
    return (after, before) -> {
      Defaulting.applyStatusUpdate(type.groupKind(), after, before);
      refuseInvalid(type, after, Validation.validateStatusUpdate(type.groupKind(), after, before));
      checkSize(type, after);
    };
  }

  /** 422 Invalid, with upstream's message and one cause per invalid field. */
  private static void refuseInvalid(ResourceType type, ObjectNode object, List<FieldCause> causes) {
    if (causes.isEmpty()) {
      return;
    }
    List<ObjectNode> details = new ArrayList<>();
    for (FieldCause cause : causes) {
      ObjectNode detail = Json.object();
      detail.put("reason", cause.type());
      detail.put("message", cause.message());
      detail.put("field", cause.field());
      details.add(detail);
    }
    String name = Meta.name(object);
    ApiStatus status =
        new ApiStatus(
            422,
            "Invalid",
            FieldCause.invalidMessage(type.groupKind(), name, causes),
            type.kind(),
            name,
            details);
    throw new WriteRefusedException(status, status.message());
  }

  private static void checkSize(ResourceType type, ObjectNode object) {
    Optional<String> problem = ObjectSize.problem(Json.bytes(object));
    if (problem.isPresent()) {
      ApiStatus status =
          new ApiStatus(
              413,
              "RequestEntityTooLarge",
              problem.get(),
              ApiHandler.resourceName(type),
              Meta.name(object));
      throw new WriteRefusedException(status, status.message());
    }
  }
}
