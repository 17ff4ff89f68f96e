package dev.keelson.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.write.DeleteOptions;
import dev.keelson.write.Objects;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchIT {

  private static final WriteContext CONTEXT = WriteContext.of(new Actor("tester", List.of()));
  private static final GroupKind CONFIG_MAP = GroupKind.core("ConfigMap");

  @Test
  void watchesStartAtAnyRevisionFromMemoryOrFromTheLog() throws Exception {
    KafkaSettings settings = TestLogs.freshSettings();
    // A memory of 16 records: a watch from further back must re-read the log.
    ProjectionOptions options = ProjectionOptions.defaults().withMemoryRecords(16);
    try (KafkaChangeLog log = TestLogs.open(settings);
        LogProjection projection = LogProjection.start(log, options)) {
      WritePath path = new WritePath(log, projection, Clock.systemUTC());
      for (int i = 0; i < 60; i++) {
        path.create(Objects.configMap(i % 2 == 0 ? "even" : "odd", "cm-" + i, "k", "v"), CONTEXT)
            .get();
      }
      path.delete(ResourceKey.of("", "ConfigMap", "even", "cm-0"), DeleteOptions.DEFAULT, CONTEXT)
          .get();
      path.update(Objects.configMap("odd", "cm-1", "k", "changed"), CONTEXT).get();
      path.create(Objects.pod("even", "not-a-config-map", null), CONTEXT).get();
      long now = projection.revision();

      // From revision 5, in namespace "even": creates of cm-6 .. cm-58 (offsets 6.. with even
      // index), then the delete of cm-0; the pod is another kind.
      List<WatchEvent> fromLog =
          projection
              .watch(CONFIG_MAP, "even", 5)
              .take(28)
              .collectList()
              .block(Duration.ofSeconds(30));
      assertThat(fromLog).hasSize(28);
      assertThat(fromLog.get(0).object().key().name()).isEqualTo("cm-6");
      assertThat(fromLog.get(0).type()).isEqualTo(WatchEvent.Type.ADDED);
      assertThat(fromLog.get(0).revision()).isEqualTo(7);
      assertThat(fromLog.get(27).type()).isEqualTo(WatchEvent.Type.DELETED);
      assertThat(fromLog.get(27).object().key().name()).isEqualTo("cm-0");
      assertThat(fromLog).extracting(WatchEvent::revision).isSorted().doesNotHaveDuplicates();

      // From memory: the last two changes of namespace odd.
      List<WatchEvent> fromMemory =
          projection
              .watch(CONFIG_MAP, "odd", now - 3)
              .take(1)
              .collectList()
              .block(Duration.ofSeconds(30));
      assertThat(fromMemory)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo(WatchEvent.Type.MODIFIED);
                assertThat(e.previous().object().path("data").path("k").asText()).isEqualTo("v");
                assertThat(e.object().object().path("data").path("k").asText())
                    .isEqualTo("changed");
              });

      // Live: a watch from now sees a change made after it started.
      var live = projection.watch(CONFIG_MAP, null, now).next().toFuture();
      path.create(Objects.configMap("odd", "late", "k", "v"), CONTEXT).get();
      assertThat(live.get().object().key().name()).isEqualTo("late");
    }
  }
}
