package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.apiserver.admission.ServiceRanges;
import dev.keelson.apiserver.security.ClusterCertificates;
import dev.keelson.apiserver.security.TokenAuthenticator;
import dev.keelson.broker.SharedKafka;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import dev.keelson.history.ChangeHistory;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.projection.ReadBarrier;
import dev.keelson.write.WritePath;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * API servers for integration tests: one or more replicas, each with its own change-log client,
 * projection and HTTPS server, all on one fresh log of the shared test broker, with one CA and one
 * admin token.
 */
final class ApiFixture implements AutoCloseable {

  /** One replica: its own log client, projection and server. */
  record Replica(
      KafkaChangeLog log,
      LogProjection projection,
      KafkaChangeLog heartbeats,
      LogProjection leases,
      KafkaChangeLog metricsLog,
      LogProjection metrics,
      CountingChangeLog historyLog,
      String base) {}

  final List<Replica> replicas = new ArrayList<>();
  final String token;
  final ClusterCertificates certificates;
  final HttpClient http;
  final SSLContext ssl;
  private final Vertx vertx = Vertx.vertx();

  final KafkaSettings settings;

  private ApiFixture(Path dir, int count, ServiceRanges ranges) throws Exception {
    settings =
        KafkaSettings.of(
            SharedKafka.bootstrapServers(),
            Topics.prefixed("t" + UUID.randomUUID().toString().substring(0, 8) + "."));
    TopicSetup.ensure(settings);
    certificates = ClusterCertificates.ensure(dir.resolve("pki"), List.of("127.0.0.1"));
    TokenAuthenticator tokens = TokenAuthenticator.ensure(dir.resolve("tokens.csv"));
    token = tokens.adminToken().orElseThrow();
    for (int i = 0; i < count; i++) {
      KafkaChangeLog log = KafkaChangeLog.open(settings, "apiserver-" + i);
      LogProjection projection = LogProjection.start(log, ProjectionOptions.defaults());
      WritePath writes = new WritePath(log, projection, Clock.systemUTC());
      if (i == 0) {
        ApiServerVerticle.ensureNamespaces(writes).get(30, TimeUnit.SECONDS);
      }
      KafkaChangeLog heartbeats = KafkaChangeLog.openHeartbeats(settings, "apiserver-" + i);
      LogProjection leases =
          LogProjection.start(heartbeats, ProjectionOptions.defaults().withLastWriterWins());
      KafkaChangeLog metricsLog = KafkaChangeLog.openMetrics(settings, "apiserver-" + i);
      LogProjection metrics =
          LogProjection.start(metricsLog, ProjectionOptions.defaults().withLastWriterWins());
      // The history reads through a log that counts what it reads.
      CountingChangeLog historyLog = new CountingChangeLog(log);
      ApiServerVerticle api =
          new ApiServerVerticle(
                  "127.0.0.1",
                  0,
                  certificates,
                  tokens,
                  projection,
                  new ReadBarrier(log, projection),
                  writes)
              .withNodeLeases(
                  leases,
                  new ReadBarrier(heartbeats, leases),
                  new WritePath(heartbeats, leases, Clock.systemUTC()))
              .withMetrics(
                  metrics,
                  new ReadBarrier(metricsLog, metrics),
                  new WritePath(metricsLog, metrics, Clock.systemUTC()))
              .withHistory(new ChangeHistory(historyLog, projection))
              .withServiceRanges(ranges);
      vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      replicas.add(
          new Replica(
              log,
              projection,
              heartbeats,
              leases,
              metricsLog,
              metrics,
              historyLog,
              "https://127.0.0.1:" + api.actualPort()));
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "keelson",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(certificates.caCertificatePem().getBytes())));
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    ssl = SSLContext.getInstance("TLS");
    ssl.init(null, factory.getTrustManagers(), null);
    http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
  }

  static ApiFixture start(Path dir) throws Exception {
    return new ApiFixture(dir, 1, ServiceRanges.DEFAULTS);
  }

  static ApiFixture replicas(Path dir, int count) throws Exception {
    return new ApiFixture(dir, count, ServiceRanges.DEFAULTS);
  }

  /** Replicas that give Services their values from {@code ranges}. */
  static ApiFixture replicas(Path dir, int count, ServiceRanges ranges) throws Exception {
    return new ApiFixture(dir, count, ranges);
  }

  String base() {
    return replicas.get(0).base();
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(0, method, path, body, "application/json", token);
  }

  /** A request with the bearer token of another user (of the test's tokens.csv). */
  HttpResponse<String> sendAs(String bearer, String method, String path, String body)
      throws Exception {
    return send(0, method, path, body, "application/json", bearer);
  }

  HttpResponse<String> send(
      String method, String path, String body, String contentType, String bearer) throws Exception {
    return send(0, method, path, body, contentType, bearer);
  }

  HttpResponse<String> send(
      int replica, String method, String path, String body, String contentType, String bearer)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(replicas.get(replica).base() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.mapper().readTree(response.body());
  }

  static String configMap(String name, String app) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{\"app\":\""
        + app
        + "\"}},\"data\":{\"k\":\"v\"}}";
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (Replica replica : replicas) {
      replica.projection().close();
      replica.log().close();
      replica.leases().close();
      replica.heartbeats().close();
      replica.metrics().close();
      replica.metricsLog().close();
    }
  }
}
