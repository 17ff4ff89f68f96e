package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.util.List;

/** The {@code Status} body of every error the API answers, as upstream shapes it. */
public record ApiStatus(
    int code, String reason, String message, String kind, String name, List<ObjectNode> causes) {

  public ApiStatus {
    causes = causes == null ? List.of() : List.copyOf(causes);
  }

  public ApiStatus(int code, String reason, String message, String kind, String name) {
    this(code, reason, message, kind, name, List.of());
  }

  public static ApiStatus expired(String message) {
    return new ApiStatus(410, "Expired", message, null, null);
  }

  public static ApiStatus gone(String message) {
    return new ApiStatus(410, "Gone", message, null, null);
  }

  public static ApiStatus conflict(String resource, String name, String message) {
    return new ApiStatus(409, "Conflict", message, resource, name);
  }

  /** A read of a resourceVersion the log has not reached, after waiting a while for it. */
  public static ApiStatus tooLargeResourceVersion(long asked, long current) {
    ObjectNode cause = Json.object();
    cause.put("reason", "ResourceVersionTooLarge");
    cause.put("message", "Too large resource version");
    return new ApiStatus(
        504,
        "Timeout",
        "Too large resource version: " + asked + ", current: " + current,
        null,
        null,
        List.of(cause));
  }

  public static ApiStatus notFound(String resource, String name) {
    return new ApiStatus(404, "NotFound", resource + " \"" + name + "\" not found", resource, name);
  }

  public static ApiStatus badRequest(String message) {
    return new ApiStatus(400, "BadRequest", message, null, null);
  }

  public static ApiStatus unauthorized() {
    return new ApiStatus(401, "Unauthorized", "Unauthorized", null, null);
  }

  public static ApiStatus methodNotAllowed(String method) {
    return new ApiStatus(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
        null,
        null);
  }

  public static ApiStatus tooLarge() {
    return new ApiStatus(
        413,
        "RequestEntityTooLarge",
        "the request body is too large (the limit is 3 MiB)",
        null,
        null);
  }

  public static ApiStatus invalid(String resource, String name, String message) {
    return new ApiStatus(
        422, "Invalid", resource + " \"" + name + "\" is invalid: " + message, resource, name);
  }

  public static ApiStatus internal(String message) {
    return new ApiStatus(500, "InternalError", "Internal error occurred: " + message, null, null);
  }

  public ObjectNode toJson() {
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    if (kind != null || name != null || !causes.isEmpty()) {
      ObjectNode details = status.putObject("details");
      if (name != null) {
        details.put("name", name);
      }
      if (kind != null) {
        details.put("kind", kind);
      }
      if (!causes.isEmpty()) {
        details.putArray("causes").addAll(causes);
      }
    }
    status.put("code", code);
    return status;
  }
}
