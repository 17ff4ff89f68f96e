package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Writing answers: JSON bodies and {@code Status} failures, each at most once per request. */
final class Responses {

  private Responses() {}

  static void fail(HttpServerRequest request, ApiStatus status) {
    json(request, status.code(), status.toJson());
  }

  static void json(HttpServerRequest request, int code, ObjectNode body) {
    raw(request, code, Json.bytes(body));
  }

  static void raw(HttpServerRequest request, int code, byte[] body) {
    raw(request, code, Buffer.buffer(body));
  }

  static void raw(HttpServerRequest request, int code, Buffer body) {
    if (request.response().ended() || request.response().headWritten()) {
      return;
    }
    request.response().setStatusCode(code).putHeader("content-type", "application/json").end(body);
  }

  static void text(HttpServerRequest request, int code, String body) {
    request
        .response()
        .setStatusCode(code)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .end(body);
  }
}
