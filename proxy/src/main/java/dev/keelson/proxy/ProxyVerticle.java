package dev.keelson.proxy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The proxy as a verticle: starts the {@link ServiceProxy} (its watches and listeners) on a worker
 * thread, and serves {@code /metrics} (Prometheus text) and {@code /healthz} over plain HTTP.
 */
public final class ProxyVerticle extends VerticleBase {

  private final KubernetesClient client;
  private final ServiceProxy.Settings settings;
  private final String metricsHost;
  private final int metricsPort;
  private ServiceProxy proxy;
  private HttpServer server;

  public ProxyVerticle(
      KubernetesClient client,
      ServiceProxy.Settings settings,
      String metricsHost,
      int metricsPort) {
    this.client = client;
    this.settings = settings;
    this.metricsHost = metricsHost;
    this.metricsPort = metricsPort;
  }

  @Override
  public Future<?> start() {
    return vertx
        .executeBlocking(() -> ServiceProxy.start(client, settings), false)
        .compose(
            started -> {
              proxy = started;
              return vertx
                  .createHttpServer()
                  .requestHandler(this::handle)
                  .listen(metricsPort, metricsHost)
                  .onSuccess(s -> server = s);
            });
  }

  /** The port of {@code /metrics}. */
  public int metricsPort() {
    return server == null ? 0 : server.actualPort();
  }

  public ServiceProxy proxy() {
    return proxy;
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      reply(request, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    switch (request.path()) {
      case "/metrics" ->
          reply(request, 200, "text/plain; version=0.0.4; charset=utf-8", proxy.metrics());
      case "/healthz", "/livez" -> reply(request, 200, "text/plain; charset=utf-8", "ok\n");
      default -> reply(request, 404, "text/plain; charset=utf-8", "not found\n");
    }
  }

  private static void reply(HttpServerRequest request, int status, String type, String body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", type)
        .putHeader("cache-control", "no-cache, private")
        .end(body);
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.compose(
        v ->
            vertx.executeBlocking(
                () -> {
                  if (proxy != null) {
                    proxy.close();
                  }
                  return null;
                },
                false));
  }
}
