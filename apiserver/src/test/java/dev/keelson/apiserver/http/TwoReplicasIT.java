package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two API servers on one log: reads see the other's writes at once; conflicts have one winner. */
class TwoReplicasIT {

  private static final String CMS = "/api/v1/namespaces/default/configmaps";

  @TempDir static Path dir;
  private static ApiFixture api;

  @BeforeAll
  static void start() throws Exception {
    api = ApiFixture.replicas(dir, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  @Test
  void aWriteThroughOneIsReadThroughTheOtherRightAfter() throws Exception {
    for (int i = 0; i < 20; i++) {
      int writer = i % 2;
      String name = "rw-" + i;
      HttpResponse<String> created =
          api.send(
              writer, "POST", CMS, ApiFixture.configMap(name, "rw"), "application/json", api.token);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      HttpResponse<String> read =
          api.send(1 - writer, "GET", CMS + "/" + name, null, null, api.token);
      assertThat(read.statusCode()).as("read of %s right after its write", name).isEqualTo(200);
      assertThat(ApiFixture.json(read).path("metadata").path("resourceVersion").asText())
          .isEqualTo(ApiFixture.json(created).path("metadata").path("resourceVersion").asText());
    }
  }

  @Test
  void concurrentConflictingWritesThroughBothHaveExactlyOneWinner() throws Exception {
    for (int round = 0; round < 10; round++) {
      String name = "race-" + round;
      HttpResponse<String> created =
          api.send(
              0, "POST", CMS, ApiFixture.configMap(name, "race"), "application/json", api.token);
      String version = ApiFixture.json(created).path("metadata").path("resourceVersion").asText();
      List<CompletableFuture<HttpResponse<String>>> writes = new ArrayList<>();
      for (int replica = 0; replica < 2; replica++) {
        int r = replica;
        String update =
            ApiFixture.configMap(name, "race")
                .replace("\"metadata\":{", "\"metadata\":{\"resourceVersion\":\"" + version + "\",")
                .replace("\"v\"", "\"from-" + r + "\"");
        writes.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return api.send(
                        r, "PUT", CMS + "/" + name, update, "application/json", api.token);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      List<Integer> codes = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> write : writes) {
        codes.add(write.get().statusCode());
      }
      assertThat(codes).containsExactlyInAnyOrder(200, 409);
    }
  }
}
