package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over HTTPS against the real log: CRUD, selectors, and Status errors. */
class ApiServerIT {

  @TempDir static Path dir;
  private static ApiFixture api;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    api = ApiFixture.start(dir);
    token = api.token;
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  private static HttpResponse<String> send(
      String method, String path, String body, String contentType, String bearer) throws Exception {
    return api.send(method, path, body, contentType, bearer);
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    return api.send(method, path, body);
  }

  private static String configMap(String name, String app) {
    return ApiFixture.configMap(name, app);
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

  @Test
  void unknownFieldsAreDroppedWithAWarningRefusedWhenStrict() throws Exception {
    // Its own namespace: the other test lists configmaps of every namespace.
    String cms = "/api/v1/namespaces/kube-public/configmaps";
    String withUnknown =
        configMap("unknown-warn", "web").replace("\"data\":", "\"colour\":\"blue\",\"data\":");
    HttpResponse<String> warned = send("POST", cms, withUnknown);
    assertThat(warned.statusCode()).as(warned.body()).isEqualTo(201);
    assertThat(warned.headers().allValues("Warning"))
        .containsExactly("299 - \"unknown field \\\"colour\\\"\"");
    assertThat(Json.mapper().readTree(warned.body()).has("colour")).isFalse();

    HttpResponse<String> ignored =
        send(
            "POST",
            cms + "?fieldValidation=Ignore",
            withUnknown.replace("unknown-warn", "unknown-ignore"));
    assertThat(ignored.statusCode()).isEqualTo(201);
    assertThat(ignored.headers().allValues("Warning")).isEmpty();
    assertThat(Json.mapper().readTree(ignored.body()).has("colour")).isFalse();

    HttpResponse<String> strict =
        send(
            "POST",
            cms + "?fieldValidation=Strict",
            withUnknown.replace("unknown-warn", "unknown-strict"));
    assertStatus(strict, 400, "BadRequest");
    assertThat(strict.body()).contains("strict decoding error: unknown field \\\"colour\\\"");
    assertStatus(
        send("POST", cms + "?fieldValidation=Sometimes", configMap("fv", "web")),
        400,
        "BadRequest");
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
