package dev.keelson.apiserver.http;

import static dev.keelson.apiserver.http.Responses.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.apiserver.codec.KubeProtobuf;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reading request bodies: at most {@link #MAX_BODY} bytes (a larger declared length is refused
 * before any of it is read, and a body that grows past the limit is cut off), as JSON or YAML.
 */
final class RequestBodies {

  static final long MAX_BODY = 3 * 1024 * 1024;
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(RequestBodies.class);

  private RequestBodies() {}

  /** Reads the body as an object, or answers 4xx. An empty body is passed on as null. */
  static void object(HttpServerRequest request, Consumer<ObjectNode> then) {
    String contentType = contentType(request);
    boolean protobuf = KubeProtobuf.isMediaType(contentType);
    if (!contentType.isEmpty()
        && !protobuf
        && !contentType.contains("json")
        && !contentType.contains("yaml")) {
      fail(request, unsupported());
      return;
    }
    bytes(
        request,
        body -> {
          if (body.length == 0) {
            then.accept(null);
            return;
          }
          ObjectNode object;
          try {
            object =
                protobuf
                    ? KubeProtobuf.decode(body)
                    : contentType.contains("yaml") ? yamlObject(body) : Json.parseObject(body);
          } catch (IllegalArgumentException e) {
            fail(
                request,
                ApiStatus.badRequest(
                    protobuf
                        ? e.getMessage()
                        : "the request body is not an object: " + e.getMessage()));
            return;
          }
          then.accept(object);
        });
  }

  /** Reads the body as bytes, or answers 413 / 400. */
  static void bytes(HttpServerRequest request, Consumer<byte[]> then) {
    String length = request.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY) {
          refuseTooLarge(request);
          return;
        }
      } catch (NumberFormatException e) {
        fail(request, ApiStatus.badRequest("bad Content-Length"));
        return;
      }
    }
    io.vertx.core.buffer.Buffer body = io.vertx.core.buffer.Buffer.buffer();
    boolean[] tooLarge = {false};
    request.handler(
        chunk -> {
          if (tooLarge[0]) {
            return;
          }
          if (body.length() + chunk.length() > MAX_BODY) {
            tooLarge[0] = true;
            refuseTooLarge(request);
            return;
          }
          body.appendBuffer(chunk);
        });
    request.exceptionHandler(
        e -> fail(request, ApiStatus.badRequest("the request body could not be read")));
    request.endHandler(
        v -> {
          if (tooLarge[0]) {
            return;
          }
          try {
            then.accept(body.getBytes());
          } catch (RuntimeException e) {
            // A fault in what handles the body: answer it now rather than at the request timeout.
            LOG.error("request {} {} failed", request.method(), request.path(), e);
            fail(request, ApiStatus.internal("the request could not be served"));
          }
        });
  }

  /** How much of a refused body is read and dropped before the connection is cut. */
  private static final long DRAIN_LIMIT = 4 * MAX_BODY;

  /**
   * Answers 413 without keeping the body, and closes the connection once the client has sent what
   * it was sending (read and dropped, up to a bound): closing at once meets a client still writing
   * with a reset, and it never reads the answer.
   */
  private static void refuseTooLarge(HttpServerRequest request) {
    request.response().putHeader("Connection", "close");
    fail(request, ApiStatus.tooLarge());
    long[] dropped = {0};
    request.handler(
        chunk -> {
          dropped[0] += chunk.length();
          if (dropped[0] > DRAIN_LIMIT) {
            request.connection().close();
          }
        });
    request.endHandler(v -> request.connection().close());
  }

  private static ObjectNode yamlObject(byte[] body) {
    try {
      com.fasterxml.jackson.databind.JsonNode node = Json.yaml().readTree(body);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("not a YAML object");
      }
      return (ObjectNode) node;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "malformed YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  static String contentType(HttpServerRequest request) {
    String header = request.getHeader("Content-Type");
    return header == null ? "" : header.toLowerCase(Locale.ROOT).trim();
  }

  static ApiStatus unsupported() {
    return new ApiStatus(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include:"
            + " application/json, application/yaml, application/vnd.kubernetes.protobuf",
        null,
        null);
  }
}
