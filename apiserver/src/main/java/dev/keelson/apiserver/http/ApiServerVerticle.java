package dev.keelson.apiserver.http;

import dev.keelson.api.Json;
import dev.keelson.api.change.Actor;
import dev.keelson.apiserver.admission.ServiceAllocator;
import dev.keelson.apiserver.admission.ServiceRanges;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.apiserver.security.ClusterCertificates;
import dev.keelson.apiserver.security.TokenAuthenticator;
import dev.keelson.history.ChangeHistory;
import dev.keelson.projection.Projection;
import dev.keelson.projection.ReadBarrier;
import dev.keelson.projection.Rejection;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The Kubernetes API over HTTPS: TLS from the cluster's certificates, bearer-token auth. */
public final class ApiServerVerticle extends VerticleBase {

  /** The namespaces every cluster has from its first start. */
  public static final List<String> NAMESPACES_MADE_AT_START =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private final String host;
  private final int port;
  private final ClusterCertificates certificates;
  private final TokenAuthenticator tokens;
  private final Projection projection;
  private final ReadBarrier barrier;
  private final WritePath writes;
  private Projection leaseProjection;
  private ReadBarrier leaseBarrier;
  private WritePath leaseWrites;
  private Projection metricsProjection;
  private ReadBarrier metricsBarrier;
  private WritePath metricsWrites;
  private ChangeHistory history;
  private ServiceRanges serviceRanges = ServiceRanges.DEFAULTS;
  private HttpServer server;

  public ApiServerVerticle(
      String host,
      int port,
      ClusterCertificates certificates,
      TokenAuthenticator tokens,
      Projection projection,
      ReadBarrier barrier,
      WritePath writes) {
    this.host = host;
    this.port = port;
    this.certificates = certificates;
    this.tokens = tokens;
    this.projection = projection;
    this.barrier = barrier;
    this.writes = writes;
  }

  /**
   * Serves the Leases of {@code kube-node-lease} from this store (the heartbeats topic) instead of
   * the change log.
   */
  public ApiServerVerticle withNodeLeases(
      Projection projection, ReadBarrier barrier, WritePath writes) {
    this.leaseProjection = projection;
    this.leaseBarrier = barrier;
    this.leaseWrites = writes;
    return this;
  }

  /**
   * Serves the container metrics (metrics.k8s.io PodMetrics and NodeMetrics) from this store (the
   * metrics topic) instead of the change log.
   */
  public ApiServerVerticle withMetrics(
      Projection projection, ReadBarrier barrier, WritePath writes) {
    this.metricsProjection = projection;
    this.metricsBarrier = barrier;
    this.metricsWrites = writes;
    return this;
  }

  /**
   * Serves who changed what, {@code /apis/audit.keelson.dev/v1/history}, from this history of the
   * change log (whose projection must be this server's).
   */
  public ApiServerVerticle withHistory(ChangeHistory history) {
    this.history = history;
    return this;
  }

  /** Gives Services their cluster IPs, node ports and proxy ports from these ranges. */
  public ApiServerVerticle withServiceRanges(ServiceRanges ranges) {
    this.serviceRanges = ranges;
    return this;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(certificates.servingCertificatePath().toString())
                    .setKeyPath(certificates.servingKeyPath().toString()));
    ApiHandler handler =
        new ApiHandler(
            ResourceRegistry.builtIn(),
            tokens,
            projection,
            barrier,
            writes,
            new ServiceAllocator(serviceRanges, projection::claimant),
            context,
            host + ":" + port);
    if (leaseProjection != null) {
      handler.serveNodeLeasesFrom(leaseProjection, leaseBarrier, leaseWrites);
    }
    if (metricsProjection != null) {
      handler.serveMetricsFrom(metricsProjection, metricsBarrier, metricsWrites);
    }
    if (history != null) {
      handler.serveHistoryFrom(history);
    }
    return vertx
        .createHttpServer(options)
        .requestHandler(handler::handle)
        .listen(port, host)
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** Creates the namespaces every cluster has (default, kube-system, ...) where they are absent. */
  public static CompletableFuture<Void> ensureNamespaces(WritePath writes) {
    CompletableFuture<?>[] creates =
        NAMESPACES_MADE_AT_START.stream()
            .filter(
                name ->
                    writes
                        .projection()
                        .get(dev.keelson.api.ResourceKey.of("", "Namespace", "", name))
                        .isEmpty())
            .map(
                name ->
                    writes
                        .create(
                            Json.parseObject(
                                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                                    + name
                                    + "\"},\"spec\":{\"finalizers\":[\"kubernetes\"]},"
                                    + "\"status\":{\"phase\":\"Active\"}}"),
                            WriteContext.of(Actor.system("apiserver")))
                        .thenAccept(
                            result -> {
                              if (result instanceof WriteResult.Rejected r
                                  && r.reason() != Rejection.ALREADY_EXISTS) {
                                throw new IllegalStateException(
                                    "cannot create namespace " + name + ": " + r.message());
                              }
                            }))
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(creates);
  }
}
