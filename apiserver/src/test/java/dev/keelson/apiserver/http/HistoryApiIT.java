package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.change.Actor;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who changed what: the history of one Deployment through create, update, scale, a conflicting
 * write and delete, by two users, on a log where most records are of other objects; read by key, by
 * uid and page by page, without reading any record but its own.
 */
class HistoryApiIT {

  private static final String ALICE = "alice-token-0123456789";
  private static final String BOB = "bob-token-0123456789";
  private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
  private static final String HISTORY = "/apis/audit.keelson.dev/v1/history";
  private static final int OTHERS = 300;

  @TempDir static Path dir;
  private static ApiFixture api;
  private static List<JsonNode> webHistory;
  private static String uid;
  private static long webPointReads;
  private static long webScannedRecords;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(
        dir.resolve("tokens.csv"),
        "admin-token-0123456789,admin,admin,\"system:masters\"\n"
            + ALICE
            + ",alice,alice-uid,\"developers\"\n"
            + BOB
            + ",bob,bob-uid\n");
    api = ApiFixture.start(dir);
    writeTheHistory();
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  /** Other objects' records around each change of web, so that its records are few among many. */
  private static void others(int from, int count) throws Exception {
    WritePath writes =
        new WritePath(
            api.replicas.get(0).log(), api.replicas.get(0).projection(), Clock.systemUTC());
    WriteContext context = WriteContext.of(Actor.system("test"));
    List<CompletableFuture<?>> creates = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      ObjectNode configMap = Json.parseObject(ApiFixture.configMap("other-" + i, "other"));
      ((ObjectNode) configMap.get("metadata")).put("namespace", "default");
      creates.add(writes.create(configMap, context));
    }
    CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private static JsonNode ok(HttpResponse<String> response, int code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
    return ApiFixture.json(response);
  }

  private static void writeTheHistory() throws Exception {
    others(0, OTHERS / 3);
    JsonNode created =
        ok(
            api.sendAs(
                ALICE,
                "POST",
                DEPLOYMENTS,
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                    + "\"labels\":{\"app\":\"web\"}},"
                    + "\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                    + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":"
                    + "{\"containers\":[{\"name\":\"web\",\"image\":\"keelson/busybox:1\"}]}}}}"),
            201);
    uid = created.at("/metadata/uid").asText();
    others(OTHERS / 3, OTHERS / 3);
    ok(
        api.send(
            0,
            "PATCH",
            DEPLOYMENTS + "/web",
            "{\"metadata\":{\"labels\":{\"tier\":\"front\"}}}",
            "application/merge-patch+json",
            ALICE),
        200);
    ok(
        api.send(
            0,
            "PATCH",
            DEPLOYMENTS + "/web/scale",
            "{\"spec\":{\"replicas\":5}}",
            "application/merge-patch+json",
            BOB),
        200);
    // Bob writes the version he read at the create: stale, refused, and kept as an attempt.
    ObjectNode stale = created.deepCopy();
    ((ObjectNode) stale.at("/spec/template/spec/containers/0")).put("image", "keelson/busybox:2");
    JsonNode conflict = ok(api.sendAs(BOB, "PUT", DEPLOYMENTS + "/web", Json.text(stale)), 409);
    assertThat(conflict.path("reason").asText()).isEqualTo("Conflict");
    others(2 * OTHERS / 3, OTHERS / 3);
    ok(api.sendAs(ALICE, "DELETE", DEPLOYMENTS + "/web", null), 200);
    CountingChangeLog reads = api.replicas.get(0).historyLog();
    reads.reset();
    webHistory =
        items(
            ok(
                api.send("GET", HISTORY + "?kind=deployments&namespace=default&name=web", null),
                200));
    webPointReads = reads.pointReads.get();
    webScannedRecords = reads.scannedRecords.get();
  }

  private static List<JsonNode> items(JsonNode list) {
    List<JsonNode> items = new ArrayList<>();
    list.path("items").forEach(items::add);
    return items;
  }

  private static List<String> ops(JsonNode patch) {
    List<String> ops = new ArrayList<>();
    for (JsonNode op : patch) {
      ops.add(
          op.path("op").asText()
              + " "
              + op.path("path").asText()
              + (op.has("fromValue") ? " " + op.get("fromValue") + "->" + op.get("value") : ""));
    }
    return ops;
  }

  @Test
  void everyChangeOfTheDeploymentWithWhoAskedAndWhatItDid() {
    assertThat(webHistory)
        .extracting(
            i ->
                i.path("op").asText()
                    + " "
                    + i.path("verdict").asText()
                    + " "
                    + i.at("/actor/user").asText())
        .containsExactly(
            "CREATE Applied alice",
            "UPDATE Applied alice",
            "UPDATE Applied bob",
            "UPDATE Rejected bob",
            "DELETE Applied alice");
    List<Long> revisions = webHistory.stream().map(i -> i.path("revision").asLong()).toList();
    assertThat(revisions).isSorted().doesNotHaveDuplicates();
    assertThat(webHistory.get(0).at("/actor/groups"))
        .extracting(JsonNode::asText)
        .containsExactly("developers", "system:authenticated");
    for (JsonNode item : webHistory) {
      assertThat(item.path("requestId").asText()).isNotEmpty();
      assertThat(item.path("time").asText()).endsWith("Z");
      assertThat(item.path("uid").asText()).isEqualTo(uid);
      assertThat(item.path("key").path("group").asText()).isEqualTo("apps");
      assertThat(item.path("key").path("kind").asText()).isEqualTo("Deployment");
      assertThat(item.path("key").path("name").asText()).isEqualTo("web");
    }
    JsonNode rejected = webHistory.get(3);
    assertThat(rejected.path("rejection").asText()).isEqualTo("CONFLICT");
    assertThat(rejected.path("reason").asText())
        .isEqualTo(
            "Operation cannot be fulfilled on deployment \"web\": the object has been modified;"
                + " please apply your changes to the latest version and try again");
    assertThat(webHistory.get(0).has("reason")).isFalse();
  }

  @Test
  void eachPatchLeadsFromTheVersionBeforeToTheVersionAfter() {
    assertThat(ops(webHistory.get(0).path("patch")))
        .contains("add /apiVersion", "add /kind", "add /metadata", "add /spec")
        .allMatch(op -> op.startsWith("add /"));
    assertThat(webHistory.get(0).at("/patch").toString()).contains("\"replicas\":3");
    assertThat(ops(webHistory.get(1).path("patch"))).containsExactly("add /metadata/labels/tier");
    assertThat(ops(webHistory.get(2).path("patch")))
        .containsExactlyInAnyOrder(
            "replace /metadata/generation 1->2", "replace /spec/replicas 3->5");
    // What the refused write would have done to the version it lost to: its image, and the
    // replicas and label it did not know of.
    assertThat(ops(webHistory.get(3).path("patch")))
        .contains(
            "replace /spec/template/spec/containers/0/image \"keelson/busybox:1\"->\"keelson/busybox:2\"",
            "replace /spec/replicas 5->3");
    assertThat(ops(webHistory.get(4).path("patch")))
        .contains("remove /spec", "remove /metadata")
        .allMatch(op -> op.startsWith("remove /"));
  }

  @Test
  void theIndexAnswersReadingOnlyTheDeploymentsOwnRecords() throws Exception {
    // The request above read the five records of web and nothing else, of a log of hundreds.
    long end = api.replicas.get(0).log().endOffset().get();
    assertThat(end).isGreaterThan(OTHERS);
    assertThat(webPointReads).isEqualTo(5);
    assertThat(webScannedRecords).isZero();
  }

  @Test
  void theSameHistoryByUid() throws Exception {
    List<JsonNode> byUid = items(ok(api.send("GET", HISTORY + "?uid=" + uid, null), 200));
    assertThat(byUid).isEqualTo(webHistory);
  }

  @Test
  void pagesOfTwoAddUpToTheWholeAtTheRevisionOfTheFirst() throws Exception {
    List<JsonNode> paged = new ArrayList<>();
    String query = HISTORY + "?kind=deploy&namespace=default&name=web&limit=2";
    JsonNode page = ok(api.send("GET", query, null), 200);
    String revision = page.at("/metadata/resourceVersion").asText();
    int pages = 1;
    paged.addAll(items(page));
    while (page.at("/metadata/continue").isTextual()) {
      page =
          ok(
              api.send(
                  "GET",
                  query
                      + "&continue="
                      + URLEncoder.encode(
                          page.at("/metadata/continue").asText(), StandardCharsets.UTF_8),
                  null),
              200);
      assertThat(page.at("/metadata/resourceVersion").asText()).isEqualTo(revision);
      paged.addAll(items(page));
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    // Each page's first patch is made against the version before the page.
    assertThat(paged).isEqualTo(webHistory);
  }

  @Test
  void aNamespaceOrAKindInARevisionRange() throws Exception {
    long scaled = webHistory.get(2).path("revision").asLong();
    long deleted = webHistory.get(4).path("revision").asLong();
    List<JsonNode> deployments =
        items(
            ok(
                api.send(
                    "GET",
                    HISTORY
                        + "?kind=deployments&sinceRevision="
                        + scaled
                        + "&untilRevision="
                        + deleted,
                    null),
                200));
    assertThat(deployments).isEqualTo(webHistory.subList(2, 4));
    JsonNode page =
        ok(
            api.send(
                "GET", HISTORY + "?namespace=default&sinceRevision=" + scaled + "&limit=50", null),
            200);
    List<JsonNode> inDefault = items(page);
    assertThat(inDefault).hasSize(50);
    assertThat(inDefault.get(0)).isEqualTo(webHistory.get(2));
    assertThat(inDefault)
        .extracting(i -> i.path("revision").asLong())
        .isSorted()
        .allMatch(r -> r >= scaled);
    assertThat(inDefault).allMatch(i -> i.at("/key/namespace").asText().equals("default"));
    assertThat(page.at("/metadata/continue").isTextual()).isTrue();
    // A time range: nothing before the first record's time is left out, nothing is after now.
    String since =
        URLEncoder.encode(webHistory.get(0).path("time").asText(), StandardCharsets.UTF_8);
    List<JsonNode> sinceCreate =
        items(ok(api.send("GET", HISTORY + "?kind=deployments&sinceTime=" + since, null), 200));
    assertThat(sinceCreate).isEqualTo(webHistory);
    List<JsonNode> future =
        items(
            ok(
                api.send("GET", HISTORY + "?kind=deployments&sinceTime=2999-01-01T00:00:00Z", null),
                200));
    assertThat(future).isEmpty();
  }

  @Test
  void badQueriesAreAStatusOf400AndStrangersA401() throws Exception {
    JsonNode status = ok(api.send("GET", HISTORY + "?name=web", null), 400);
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
    assertThat(status.path("message").asText())
        .isEqualTo("name needs kind (for example kind=deployments)");
    assertThat(ok(api.send("GET", HISTORY + "?sinceTime=noon", null), 400).path("message").asText())
        .contains("sinceTime");
    assertThat(ok(api.send("GET", HISTORY + "?continue=garbage", null), 400).path("code").asInt())
        .isEqualTo(400);
    assertThat(api.send(0, "GET", HISTORY, null, null, null).statusCode()).isEqualTo(401);
    assertThat(api.send("POST", HISTORY, "{}").statusCode()).isEqualTo(405);
    assertThat(api.send("GET", "/apis/audit.keelson.dev/v1/other", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void discoveryShowsTheAuditGroup() throws Exception {
    JsonNode groups = ok(api.send("GET", "/apis", null), 200);
    assertThat(groups.findValuesAsText("name")).contains("audit.keelson.dev", "apps");
    JsonNode resources = ok(api.send("GET", "/apis/audit.keelson.dev/v1", null), 200);
    assertThat(resources.path("groupVersion").asText()).isEqualTo("audit.keelson.dev/v1");
    assertThat(resources.at("/resources/0/name").asText()).isEqualTo("history");
  }
}
