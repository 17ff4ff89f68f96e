package dev.keelson.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.api.change.Actor;
import dev.keelson.broker.EmbeddedKafka;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import dev.keelson.write.Objects;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartIT {

  private static final WriteContext CONTEXT = WriteContext.of(new Actor("tester", List.of()));

  @Test
  void stoppingEverythingAndStartingAgainGivesTheSameStateAndRevision(@TempDir Path dataDir)
      throws Exception {
    ListResult before;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), "127.0.0.1", 0)) {
      KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), Topics.defaults());
      TopicSetup.ensure(settings);
      try (KafkaChangeLog log = KafkaChangeLog.open(settings, "test");
          LogProjection projection = LogProjection.start(log, ProjectionOptions.defaults())) {
        writeSome(new WritePath(log, projection, Clock.systemUTC()), 200);
        before = projection.all();
      }
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), "127.0.0.1", 0)) {
      KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), Topics.defaults());
      TopicSetup.ensure(settings);
      try (KafkaChangeLog log = KafkaChangeLog.open(settings, "test");
          LogProjection projection = LogProjection.start(log, ProjectionOptions.defaults())) {
        projection.awaitRevision(before.revision()).get(60, TimeUnit.SECONDS);
        assertThat(projection.all()).isEqualTo(before);
        assertThat(log.endOffset().get()).isEqualTo(before.revision());
      }
    }
  }

  @Test
  void snapshotPlusTailEqualsFullReplay(@TempDir Path snapshots) throws Exception {
    KafkaSettings settings = TestLogs.freshSettings();
    ProjectionOptions withSnapshots = ProjectionOptions.defaults().withSnapshots(snapshots);
    long snapshotRevision;
    try (KafkaChangeLog log = TestLogs.open(settings);
        LogProjection projection = LogProjection.start(log, withSnapshots)) {
      WritePath path = new WritePath(log, projection, Clock.systemUTC());
      writeSome(path, 300);
      projection.snapshotNow();
      snapshotRevision = projection.revision();
    }
    try (KafkaChangeLog log = TestLogs.open(settings);
        LogProjection fromSnapshot =
            LogProjection.start(log, withSnapshots.withSnapshotEvery(Long.MAX_VALUE))) {
      // The snapshot is where this projection starts, not the beginning of the log.
      assertThat(fromSnapshot.revision()).isGreaterThanOrEqualTo(snapshotRevision);
      writeSome(new WritePath(log, fromSnapshot, Clock.systemUTC()), 150);
      long end = log.endOffset().get();
      fromSnapshot.awaitRevision(end).get(60, TimeUnit.SECONDS);
      try (KafkaChangeLog other = TestLogs.open(settings);
          LogProjection fullReplay = LogProjection.start(other, ProjectionOptions.defaults())) {
        fullReplay.awaitRevision(end).get(60, TimeUnit.SECONDS);
        assertThat(fromSnapshot.all()).isEqualTo(fullReplay.all());
        assertThat(fromSnapshot.all().items()).isNotEmpty();
      }
    }
  }

  @Test
  void aSnapshotOfAnotherLogIsIgnored(@TempDir Path snapshots) throws Exception {
    ProjectionOptions withSnapshots = ProjectionOptions.defaults().withSnapshots(snapshots);
    KafkaSettings first = TestLogs.freshSettings();
    try (KafkaChangeLog log = TestLogs.open(first);
        LogProjection projection = LogProjection.start(log, withSnapshots)) {
      writeSome(new WritePath(log, projection, Clock.systemUTC()), 20);
    }
    try (Stream<Path> files = Files.list(snapshots)) {
      assertThat(files.count()).isEqualTo(1);
    }
    KafkaSettings second = TestLogs.freshSettings();
    try (KafkaChangeLog log = TestLogs.open(second);
        LogProjection projection = LogProjection.start(log, withSnapshots)) {
      assertThat(projection.revision()).isZero();
      assertThat(projection.all().items()).isEmpty();
    }
  }

  /** Creates, updates and deletes a mix of objects. */
  static void writeSome(WritePath path, int count) throws Exception {
    String prefix = "obj-" + System.nanoTime() + "-";
    for (int i = 0; i < count; i++) {
      String name = prefix + (i % 50);
      WriteResult result;
      if (i < 50) {
        result = path.create(Objects.configMap("ns-" + (i % 3), name, "v", "0"), CONTEXT).get();
      } else if (i % 7 == 0) {
        result =
            path.delete(
                    dev.keelson.api.ResourceKey.of("", "ConfigMap", "ns-" + (i % 50 % 3), name),
                    dev.keelson.write.DeleteOptions.DEFAULT,
                    CONTEXT)
                .get();
        path.create(Objects.configMap("ns-" + (i % 50 % 3), name, "v", "again"), CONTEXT).get();
      } else {
        result =
            path.update(
                    Objects.configMap("ns-" + (i % 50 % 3), name, "v", Integer.toString(i)),
                    CONTEXT)
                .get();
      }
      assertThat(result).isInstanceOf(WriteResult.Accepted.class);
    }
  }
}
