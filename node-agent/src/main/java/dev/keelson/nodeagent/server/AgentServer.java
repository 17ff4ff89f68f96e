package dev.keelson.nodeagent.server;

import dev.keelson.nodeagent.runtime.ContainerRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.List;

/**
 * The node agent's own HTTPS server, where the API server reaches it as it reaches a kubelet:
 * {@code /healthz} for anyone, and {@code /containerLogs/NAMESPACE/POD/CONTAINER} for callers whose
 * bearer token the {@link TokenReviewer} accepts, and {@code /stats/summary} for them too. It
 * serves with a self-signed certificate made at start, as a kubelet does when given none.
 */
public final class AgentServer {

  private final HttpServer server;
  private final SelfSignedCertificate certificate;

  private AgentServer(HttpServer server, SelfSignedCertificate certificate) {
    this.server = server;
    this.certificate = certificate;
  }

  /** Listens on {@code host:port} (port 0: any free port). */
  public static Future<AgentServer> start(
      Vertx vertx, String host, int port, ContainerRuntime runtime, TokenReviewer reviewer) {
    Routes routes = new Routes(new ContainerLogs(vertx, runtime), new StatsSummary(vertx, runtime));
    // Making the key pair takes a while: not on the event loop.
    return vertx
        .executeBlocking(() -> SelfSignedCertificate.create(host))
        .compose(
            certificate ->
                vertx
                    .createHttpServer(
                        new HttpServerOptions()
                            .setSsl(true)
                            .setKeyCertOptions(certificate.keyCertOptions()))
                    .requestHandler(request -> handle(request, reviewer, routes))
                    .listen(port, host)
                    .map(server -> new AgentServer(server, certificate))
                    .onFailure(e -> certificate.delete()));
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close().onComplete(r -> certificate.delete());
  }

  private static void handle(HttpServerRequest request, TokenReviewer reviewer, Routes routes) {
    if (request.path().equals("/healthz")) {
      text(request, 200, "ok");
      return;
    }
    String token = bearer(request.getHeader("Authorization"));
    if (token == null) {
      text(request, 401, "Unauthorized");
      return;
    }
    reviewer
        .review(token)
        .onComplete(
            r -> {
              if (r.failed() || r.result().isEmpty()) {
                text(request, 401, "Unauthorized");
              } else {
                route(request, routes);
              }
            });
  }

  /** What the agent serves to authenticated callers. */
  private record Routes(ContainerLogs logs, StatsSummary stats) {}

  private static void route(HttpServerRequest request, Routes routes) {
    if (request.path().equals("/stats/summary") && request.method() == HttpMethod.GET) {
      routes.stats().serve(request);
      return;
    }
    List<String> parts = List.of(request.path().substring(1).split("/", -1));
    if (parts.size() != 4 || !parts.get(0).equals("containerLogs") || parts.contains("")) {
      text(request, 404, "404 page not found");
    } else if (request.method() != HttpMethod.GET) {
      text(request, 405, "Method Not Allowed");
    } else {
      routes.logs().serve(request, parts.get(1), parts.get(2), parts.get(3));
    }
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /** A plain-text answer, once; a response already under way is left alone. */
  static void text(HttpServerRequest request, int status, String body) {
    if (request.response().ended() || request.response().headWritten()) {
      return;
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .end(body);
  }
}
