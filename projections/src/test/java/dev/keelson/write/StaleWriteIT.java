package dev.keelson.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.projection.HistoryQuery;
import dev.keelson.projection.IndexedChange;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.TestLogs;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A write against a stale version: refused as before, and kept in the log as an attempt. */
class StaleWriteIT {

  private static final ResourceKey KEY = ResourceKey.of("", "ConfigMap", "default", "settings");

  @Test
  void aStaleUpdateOrDeleteIsRejectedByTheFoldAndStaysInTheLog() throws Exception {
    KafkaSettings settings = TestLogs.freshSettings();
    try (KafkaChangeLog log = TestLogs.open(settings);
        LogProjection projection = LogProjection.start(log, ProjectionOptions.defaults())) {
      WritePath writes = new WritePath(log, projection, Clock.systemUTC());
      WriteContext bob = WriteContext.of(new Actor("bob", List.of()));
      WriteResult created =
          writes
              .create(Objects.configMap("default", "settings", "k", "1"), bob)
              .get(30, TimeUnit.SECONDS);
      String first = ((WriteResult.Accepted) created).object().resourceVersion();
      writes
          .update(Objects.configMap("default", "settings", "k", "2"), bob)
          .get(30, TimeUnit.SECONDS);
      long end = log.endOffset().get();

      ObjectNode stale = Objects.configMap("default", "settings", "k", "3");
      ((ObjectNode) stale.get("metadata")).put("resourceVersion", first);
      WriteResult update = writes.update(stale, bob).get(30, TimeUnit.SECONDS);
      WriteResult delete = writes.delete(KEY, first, bob).get(30, TimeUnit.SECONDS);

      for (WriteResult result : List.of(update, delete)) {
        assertThat(result)
            .isInstanceOfSatisfying(
                WriteResult.Rejected.class,
                r -> {
                  assertThat(r.reason()).isEqualTo(Rejection.CONFLICT);
                  assertThat(r.message()).contains("the object has been modified");
                });
      }
      assertThat(log.endOffset().get()).isEqualTo(end + 2);
      assertThat(projection.get(KEY).orElseThrow().object().at("/data/k").asText()).isEqualTo("2");
      assertThat(
              projection
                  .history(new HistoryQuery(new HistoryQuery.OfKey(KEY), 1, Long.MAX_VALUE, 10))
                  .changes())
          .extracting(c -> c.op() + " " + (c.applied() ? "applied" : c.rejection()))
          .containsExactly(
              "CREATE applied", "UPDATE applied", "UPDATE CONFLICT", "DELETE CONFLICT");

      // A version still to come is refused without an append: it could yet become current.
      ObjectNode future = Objects.configMap("default", "settings", "k", "4");
      ((ObjectNode) future.get("metadata")).put("resourceVersion", "999999");
      long before = log.endOffset().get();
      assertThat(writes.update(future, bob).get(30, TimeUnit.SECONDS))
          .isInstanceOf(WriteResult.Rejected.class);
      assertThat(log.endOffset().get()).isEqualTo(before);
      assertThat(
              projection
                  .history(new HistoryQuery(new HistoryQuery.OfKey(KEY), 1, Long.MAX_VALUE, 10))
                  .changes())
          .extracting(IndexedChange::revision)
          .hasSize(4);
    }
  }
}
