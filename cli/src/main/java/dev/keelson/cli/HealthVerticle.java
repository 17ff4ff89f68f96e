package dev.keelson.cli;

import dev.keelson.projection.Projection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code /healthz} and {@code /livez} (the process serves), and {@code /readyz} (200 only when the
 * projection has applied everything the log held when the request arrived).
 */
final class HealthVerticle extends VerticleBase {

  private final Projection projection;
  private final Listen listen;
  private HttpServer server;

  HealthVerticle(Projection projection, Listen listen) {
    this.projection = projection;
    this.listen = listen;
  }

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer()
        .requestHandler(this::handle)
        .listen(listen.port(), listen.host())
        .onSuccess(s -> server = s);
  }

  int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      reply(request, 405, "method not allowed\n");
      return;
    }
    switch (request.path()) {
      case "/healthz", "/livez" -> reply(request, 200, "ok\n");
      case "/readyz" ->
          Future.fromCompletionStage(projection.caughtUp(), context)
              .onComplete(
                  result -> {
                    if (result.succeeded() && result.result()) {
                      reply(request, 200, "ok\n");
                    } else if (result.succeeded()) {
                      reply(
                          request,
                          503,
                          "projection catching up: at revision " + projection.revision() + "\n");
                    } else {
                      reply(
                          request,
                          503,
                          "change log unreachable: " + result.cause().getMessage() + "\n");
                    }
                  });
      default -> reply(request, 404, "not found\n");
    }
  }

  private static void reply(HttpServerRequest request, int status, String body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("cache-control", "no-cache, private")
        .end(body);
  }
}
