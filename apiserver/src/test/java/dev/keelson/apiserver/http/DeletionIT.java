package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deletion as upstream: finalizers, graceful pod deletion, preconditions, collections; binding. */
class DeletionIT {

  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  private static final String PODS = "/api/v1/namespaces/default/pods";

  @TempDir static Path dir;
  private static ApiFixture api;

  @BeforeAll
  static void start() throws Exception {
    api = ApiFixture.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  private static String pod(String name, String nodeName) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":{"
        + (nodeName == null ? "" : "\"nodeName\":\"" + nodeName + "\",")
        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}";
  }

  @Test
  void anObjectWithFinalizersStaysUntilTheyAreGone() throws Exception {
    String held =
        ApiFixture.configMap("held", "fin")
            .replace("\"metadata\":{", "\"metadata\":{\"finalizers\":[\"keelson.dev/hold\"],");
    assertThat(api.send("POST", CMS, held).statusCode()).isEqualTo(201);
    HttpResponse<String> deleted = api.send("DELETE", CMS + "/held", null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
    JsonNode still = ApiFixture.json(api.send("GET", CMS + "/held", null));
    assertThat(still.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
    HttpResponse<String> released =
        api.send(
            "PATCH",
            CMS + "/held",
            "{\"metadata\":{\"finalizers\":null}}",
            "application/merge-patch+json",
            api.token);
    assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
    assertThat(api.send("GET", CMS + "/held", null).statusCode()).isEqualTo(404);
  }

  @Test
  void foregroundDeletionAddsItsFinalizerAndPreconditionsAreChecked() throws Exception {
    JsonNode created = ApiFixture.json(api.send("POST", CMS, ApiFixture.configMap("fg", "fin")));
    HttpResponse<String> wrongUid =
        api.send(
            "DELETE",
            CMS + "/fg",
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\"nope\"}}");
    assertThat(wrongUid.statusCode()).as(wrongUid.body()).isEqualTo(409);
    HttpResponse<String> stale =
        api.send(
            "DELETE",
            CMS + "/fg",
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"resourceVersion\":\"1\"}}");
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
    HttpResponse<String> foreground =
        api.send("DELETE", CMS + "/fg?propagationPolicy=Foreground", null);
    assertThat(foreground.statusCode()).as(foreground.body()).isEqualTo(202);
    assertThat(ApiFixture.json(foreground).path("metadata").path("finalizers").toString())
        .contains("foregroundDeletion");
    assertThat(created.path("metadata").path("uid").asText()).isNotEmpty();
  }

  @Test
  void aPodOnANodeIsDeletedGracefullyAndAnUnboundOneAtOnce() throws Exception {
    assertThat(api.send("POST", PODS, pod("loose", null)).statusCode()).isEqualTo(201);
    assertThat(api.send("DELETE", PODS + "/loose", null).statusCode()).isEqualTo(200);
    assertThat(api.send("GET", PODS + "/loose", null).statusCode()).isEqualTo(404);

    assertThat(api.send("POST", PODS, pod("bound", "node-1")).statusCode()).isEqualTo(201);
    HttpResponse<String> graceful = api.send("DELETE", PODS + "/bound", null);
    assertThat(graceful.statusCode()).as(graceful.body()).isEqualTo(202);
    JsonNode terminating = ApiFixture.json(api.send("GET", PODS + "/bound", null));
    assertThat(terminating.path("metadata").path("deletionGracePeriodSeconds").asLong())
        .isEqualTo(30);
    assertThat(api.send("DELETE", PODS + "/bound?gracePeriodSeconds=0", null).statusCode())
        .isEqualTo(200);
    assertThat(api.send("GET", PODS + "/bound", null).statusCode()).isEqualTo(404);
  }

  @Test
  void bindingAssignsAPodOnce() throws Exception {
    assertThat(api.send("POST", PODS, pod("tobind", null)).statusCode()).isEqualTo(201);
    String binding =
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"tobind\"},"
            + "\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-7\"}}";
    HttpResponse<String> bound = api.send("POST", PODS + "/tobind/binding", binding);
    assertThat(bound.statusCode()).as(bound.body()).isEqualTo(201);
    JsonNode pod = ApiFixture.json(api.send("GET", PODS + "/tobind", null));
    assertThat(pod.path("spec").path("nodeName").asText()).isEqualTo("node-7");
    assertThat(pod.path("status").path("conditions").get(0).path("type").asText())
        .isEqualTo("PodScheduled");
    HttpResponse<String> again = api.send("POST", PODS + "/tobind/binding", binding);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
  }

  @Test
  void aNamespaceTerminatesUntilItsFinalizersAreGoneAndTakesNoNewObjects() throws Exception {
    String namespaces = "/api/v1/namespaces";
    assertThat(
            api.send(
                    "POST",
                    namespaces,
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"doomed\"}}")
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> deleting = api.send("DELETE", namespaces + "/doomed", null);
    assertThat(deleting.statusCode()).as(deleting.body()).isEqualTo(202);
    JsonNode terminating = ApiFixture.json(api.send("GET", namespaces + "/doomed", null));
    assertThat(terminating.path("status").path("phase").asText()).isEqualTo("Terminating");
    HttpResponse<String> refused =
        api.send("POST", namespaces + "/doomed/configmaps", ApiFixture.configMap("late", "x"));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    HttpResponse<String> finalized =
        api.send(
            "PUT",
            namespaces + "/doomed/finalize",
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"doomed\"},\"spec\":{\"finalizers\":[]}}");
    assertThat(finalized.statusCode()).as(finalized.body()).isEqualTo(200);
    assertThat(api.send("GET", namespaces + "/doomed", null).statusCode()).isEqualTo(404);
  }

  @Test
  void deleteCollectionDeletesTheSelectedObjectsOnly() throws Exception {
    for (int i = 0; i < 3; i++) {
      api.send("POST", CMS, ApiFixture.configMap("dc-" + i, "sweep"));
    }
    api.send("POST", CMS, ApiFixture.configMap("dc-keep", "keep"));
    HttpResponse<String> swept = api.send("DELETE", CMS + "?labelSelector=app%3Dsweep", null);
    assertThat(swept.statusCode()).as(swept.body()).isEqualTo(200);
    assertThat(ApiFixture.json(swept).path("items")).hasSize(3);
    JsonNode left =
        ApiFixture.json(api.send("GET", CMS + "?labelSelector=app+in+(sweep,keep)", null));
    assertThat(left.path("items")).hasSize(1);
    assertThat(left.path("items").get(0).path("metadata").path("name").asText())
        .isEqualTo("dc-keep");
  }
}
