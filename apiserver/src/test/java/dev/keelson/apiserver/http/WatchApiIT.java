package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watch over chunked HTTP and WebSocket: from any revision, selectors, bookmarks, timeouts. */
class WatchApiIT {

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

  /** A watch being read: its events, as they arrive, and the end of the stream as "END". */
  private static final class Events {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    JsonNode next() throws Exception {
      String line = lines.poll(20, TimeUnit.SECONDS);
      assertThat(line).as("a watch event within 20 s").isNotNull();
      return line.equals("END") ? null : Json.mapper().readTree(line);
    }

    /** The next event that is not a bookmark. */
    JsonNode nextChange() throws Exception {
      JsonNode event = next();
      while (event != null && event.path("type").asText().equals("BOOKMARK")) {
        event = next();
      }
      return event;
    }
  }

  private static Events watch(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api.base() + path))
            .header("Authorization", "Bearer " + api.token)
            .build();
    HttpResponse<Stream<String>> response =
        api.http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    Events events = new Events();
    Thread reader =
        new Thread(
            () -> {
              try (Stream<String> lines = response.body()) {
                lines.forEach(events.lines::add);
              } catch (RuntimeException e) {
                // the stream was cut; END says so
              }
              events.lines.add("END");
            });
    reader.setDaemon(true);
    reader.start();
    return events;
  }

  private static String revisionOf(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
    return ApiFixture.json(response).path("metadata").path("resourceVersion").asText();
  }

  private static String name(JsonNode event) {
    return event.path("object").path("metadata").path("name").asText();
  }

  @Test
  void watchFromARevisionSeesEveryLaterChangeInOrder() throws Exception {
    String cms = "/api/v1/namespaces/default/configmaps";
    String from = revisionOf(api.send("POST", cms, ApiFixture.configMap("w-a", "watch")));
    api.send("POST", cms, ApiFixture.configMap("w-b", "watch"));
    api.send("DELETE", cms + "/w-a", null);

    Events events = watch(cms + "?watch=true&resourceVersion=" + from);
    JsonNode added = events.nextChange();
    assertThat(added.path("type").asText()).isEqualTo("ADDED");
    assertThat(name(added)).isEqualTo("w-b");
    JsonNode deleted = events.nextChange();
    assertThat(deleted.path("type").asText()).isEqualTo("DELETED");
    assertThat(name(deleted)).isEqualTo("w-a");
    api.send("POST", cms, ApiFixture.configMap("w-c", "watch"));
    JsonNode live = events.nextChange();
    assertThat(name(live)).isEqualTo("w-c");
    assertThat(
            Long.parseLong(live.path("object").path("metadata").path("resourceVersion").asText()))
        .isGreaterThan(
            Long.parseLong(
                deleted.path("object").path("metadata").path("resourceVersion").asText()));
  }

  @Test
  void watchWithoutRevisionStartsWithTheCurrentStateAndTheLegacyPathWorks() throws Exception {
    String cms = "/api/v1/namespaces/default/configmaps";
    api.send("POST", cms, ApiFixture.configMap("legacy-1", "legacy"));
    Events events = watch("/api/v1/watch/namespaces/default/configmaps?labelSelector=app%3Dlegacy");
    JsonNode first = events.nextChange();
    assertThat(first.path("type").asText()).isEqualTo("ADDED");
    assertThat(name(first)).isEqualTo("legacy-1");
  }

  @Test
  void anObjectLeavingTheSelectionIsDeletedForTheWatcher() throws Exception {
    String cms = "/api/v1/namespaces/default/configmaps";
    String from = revisionOf(api.send("POST", cms, ApiFixture.configMap("sel-1", "in")));
    Events events = watch(cms + "?watch=1&labelSelector=app%3Din&resourceVersion=" + from);
    HttpResponse<String> moved =
        api.send("PUT", cms + "/sel-1", ApiFixture.configMap("sel-1", "out"));
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    JsonNode left = events.nextChange();
    assertThat(left.path("type").asText()).isEqualTo("DELETED");
    assertThat(name(left)).isEqualTo("sel-1");
    api.send("PUT", cms + "/sel-1", ApiFixture.configMap("sel-1", "in"));
    JsonNode back = events.nextChange();
    assertThat(back.path("type").asText()).isEqualTo("ADDED");
  }

  @Test
  void timeoutSecondsEndsTheWatchAndBookmarksCarryTheLastRevision() throws Exception {
    String cms = "/api/v1/namespaces/default/configmaps";
    String from = revisionOf(api.send("POST", cms, ApiFixture.configMap("bm-1", "bm")));
    long started = System.nanoTime();
    Events events =
        watch(
            cms
                + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=7&labelSelector=app%3Dbm"
                + "&resourceVersion="
                + from);
    JsonNode bookmark = events.next();
    assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
    assertThat(bookmark.path("object").path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(bookmark.path("object").path("metadata").path("resourceVersion").asText())
        .isEqualTo(from);
    JsonNode end = events.next();
    while (end != null) {
      end = events.next();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void watchOverWebSocket() throws Exception {
    String cms = "/api/v1/namespaces/default/configmaps";
    String from = revisionOf(api.send("POST", cms, ApiFixture.configMap("ws-1", "ws")));
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket socket =
        api.http
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + api.token)
            .buildAsync(
                URI.create(
                    api.base().replace("https://", "wss://")
                        + cms
                        + "?watch=true&labelSelector=app%3Dws&resourceVersion="
                        + from),
                new WebSocket.Listener() {
                  final StringBuilder text = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      messages.add(text.toString());
                      text.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                  }
                })
            .get(20, TimeUnit.SECONDS);
    api.send("POST", cms, ApiFixture.configMap("ws-2", "ws"));
    String message = messages.poll(20, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    JsonNode event = Json.mapper().readTree(message);
    assertThat(event.path("type").asText()).isEqualTo("ADDED");
    assertThat(name(event)).isEqualTo("ws-2");
    socket.abort();
  }

  @Test
  void pagesOfAListAreAllAtTheRevisionOfTheFirst() throws Exception {
    String cms = "/api/v1/namespaces/default/configmaps";
    for (int i = 0; i < 7; i++) {
      api.send("POST", cms, ApiFixture.configMap("page-" + i, "paged"));
    }
    JsonNode first =
        ApiFixture.json(api.send("GET", cms + "?labelSelector=app%3Dpaged&limit=3", null));
    String revision = first.path("metadata").path("resourceVersion").asText();
    assertThat(first.path("items")).hasSize(3);
    assertThat(first.path("metadata").path("remainingItemCount").asLong()).isEqualTo(4);
    api.send("POST", cms, ApiFixture.configMap("page-late", "paged"));
    api.send("DELETE", cms + "/page-6", null);
    List<String> names = new ArrayList<>();
    first.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    String token = first.path("metadata").path("continue").asText();
    while (!token.isEmpty()) {
      JsonNode page =
          ApiFixture.json(
              api.send("GET", cms + "?labelSelector=app%3Dpaged&limit=3&continue=" + token, null));
      assertThat(page.path("metadata").path("resourceVersion").asText()).isEqualTo(revision);
      page.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
      token = page.path("metadata").path("continue").asText("");
    }
    assertThat(names)
        .containsExactly("page-0", "page-1", "page-2", "page-3", "page-4", "page-5", "page-6");
    HttpResponse<String> bad = api.send("GET", cms + "?limit=3&continue=not-a-token", null);
    assertThat(bad.statusCode()).isEqualTo(400);
  }
}
