package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.apiserver.security.ClusterCertificates;
import dev.keelson.apiserver.security.TokenAuthenticator;
import dev.keelson.broker.SharedKafka;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over HTTPS against the real log: CRUD, selectors, and Status errors. */
class ApiServerIT {

  @TempDir static Path dir;
  private static Vertx vertx;
  private static KafkaChangeLog log;
  private static LogProjection projection;
  private static HttpClient http;
  private static String base;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    KafkaSettings settings =
        KafkaSettings.of(
            SharedKafka.bootstrapServers(),
            Topics.prefixed("t" + UUID.randomUUID().toString().substring(0, 8) + "."));
    TopicSetup.ensure(settings);
    log = KafkaChangeLog.open(settings, "apiserver");
    projection = LogProjection.start(log, ProjectionOptions.defaults());
    WritePath writes = new WritePath(log, projection, Clock.systemUTC());
    ApiServerVerticle.ensureNamespaces(writes).get(30, TimeUnit.SECONDS);
    ClusterCertificates certificates =
        ClusterCertificates.ensure(dir.resolve("pki"), List.of("127.0.0.1"));
    TokenAuthenticator tokens = TokenAuthenticator.ensure(dir.resolve("tokens.csv"));
    token = tokens.adminToken().orElseThrow();
    vertx = Vertx.vertx();
    ApiServerVerticle api =
        new ApiServerVerticle(
            "127.0.0.1",
            0,
            certificates,
            tokens,
            projection,
            new ReadBarrier(log, projection),
            writes);
    vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    base = "https://127.0.0.1:" + api.actualPort();
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
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, factory.getTrustManagers(), null);
    http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    projection.close();
    log.close();
  }

  private static HttpResponse<String> send(
      String method, String path, String body, String contentType, String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) request.header("Content-Type", contentType);
    if (bearer != null) request.header("Authorization", "Bearer " + bearer);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    return send(method, path, body, "application/json", token);
  }

  private static String configMap(String name, String app) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{\"app\":\""
        + app
        + "\"}},\"data\":{\"k\":\"v\"}}";
  }

  @Test
  void createGetListUpdateDelete() throws Exception {
    HttpResponse<String> created =
        send("POST", "/api/v1/namespaces/default/configmaps", configMap("crud", "web"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode object = Json.mapper().readTree(created.body());
    assertThat(object.path("metadata").path("namespace").asText()).isEqualTo("default");
    assertThat(object.path("metadata").path("uid").asText()).isNotEmpty();
    String version = object.path("metadata").path("resourceVersion").asText();

    HttpResponse<String> got = send("GET", "/api/v1/namespaces/default/configmaps/crud", null);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(got.body())).isEqualTo(object);

    send("POST", "/api/v1/namespaces/default/configmaps", configMap("other", "db"));
    JsonNode list =
        Json.mapper()
            .readTree(
                send("GET", "/api/v1/namespaces/default/configmaps?labelSelector=app%3Dweb", null)
                    .body());
    assertThat(list.path("kind").asText()).isEqualTo("ConfigMapList");
    assertThat(list.path("items"))
        .extracting(i -> i.path("metadata").path("name").asText())
        .containsExactly("crud");
    JsonNode notWeb =
        Json.mapper()
            .readTree(
                send("GET", "/api/v1/configmaps?labelSelector=app+notin+%28web%29", null).body());
    assertThat(notWeb.path("items"))
        .extracting(i -> i.path("metadata").path("name").asText())
        .containsExactly("other");

    String updated =
        configMap("crud", "web")
            .replace("\"metadata\":{", "\"metadata\":{\"resourceVersion\":\"" + version + "\",")
            .replace("\"v\"", "\"v2\"");
    HttpResponse<String> put = send("PUT", "/api/v1/namespaces/default/configmaps/crud", updated);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    HttpResponse<String> stale = send("PUT", "/api/v1/namespaces/default/configmaps/crud", updated);
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(Json.mapper().readTree(stale.body()).path("reason").asText()).isEqualTo("Conflict");

    assertThat(send("DELETE", "/api/v1/namespaces/default/configmaps/crud", null).statusCode())
        .isEqualTo(200);
    HttpResponse<String> gone = send("GET", "/api/v1/namespaces/default/configmaps/crud", null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(Json.mapper().readTree(gone.body()).path("message").asText())
        .isEqualTo("configmaps \"crud\" not found");
  }

  @Test
  void badRequestsGetAStatusWithTheUpstreamCode() throws Exception {
    String cms = "/api/v1/namespaces/default/configmaps";
    assertStatus(send("GET", cms, null, null, null), 401, "Unauthorized");
    assertStatus(send("GET", cms, null, null, "wrong-token"), 401, "Unauthorized");
    assertStatus(send("GET", "/api/v1/frobs", null), 404, "NotFound");
    assertStatus(send("GET", "/apis/apps/v9", null), 404, "NotFound");
    assertStatus(send("POST", cms, "{not json"), 400, "BadRequest");
    assertStatus(send("POST", cms, "[1,2]"), 400, "BadRequest");
    assertStatus(send("POST", cms, configMap("Bad_Name", "x")), 422, "Invalid");
    assertStatus(send("POST", cms, configMap("a/..", "x")), 422, "Invalid");
    assertStatus(send("POST", cms, configMap("x".repeat(254), "x")), 422, "Invalid");
    assertStatus(
        send("POST", cms, "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p\"}}"),
        400,
        "BadRequest");
    assertStatus(
        send(
            "POST",
            cms,
            configMap("ns", "x")
                .replace("\"metadata\":{", "\"metadata\":{\"namespace\":\"other\",")),
        400,
        "BadRequest");
    assertStatus(
        send("POST", "/api/v1/namespaces/missing/configmaps", configMap("x", "x")),
        404,
        "NotFound");
    assertStatus(send("POST", cms, configMap("dup", "x")), 201, null);
    assertStatus(send("POST", cms, configMap("dup", "x")), 409, "AlreadyExists");
    assertStatus(send("PUT", cms + "/other-name", configMap("dup", "x")), 400, "BadRequest");
    assertStatus(send("PATCH", "/api/v1", "{}"), 405, "MethodNotAllowed");
    assertStatus(
        send("POST", cms, configMap("proto", "x"), "application/vnd.kubernetes.protobuf", token),
        400,
        "BadRequest");
    assertStatus(
        send("POST", cms, configMap("cbor", "x"), "application/cbor", token),
        415,
        "UnsupportedMediaType");
    assertStatus(
        send("POST", cms, "{\"a\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}"),
        413,
        "RequestEntityTooLarge");
    assertStatus(send("GET", cms + "?labelSelector=a%3D%3D%3Db", null), 400, "BadRequest");
    assertStatus(send("DELETE", cms + "/never-was", null), 404, "NotFound");
  }

  private static void assertStatus(HttpResponse<String> response, int code, String reason)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
    if (reason != null) {
      JsonNode status = Json.mapper().readTree(response.body());
      assertThat(status.path("kind").asText()).isEqualTo("Status");
      assertThat(status.path("reason").asText()).isEqualTo(reason);
      assertThat(status.path("code").asInt()).isEqualTo(code);
    }
  }
}
