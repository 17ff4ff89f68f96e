package dev.keelson.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.api.Json;
import dev.keelson.api.change.Actor;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.broker.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class KafkaChangeLogIT {

  private static Topics freshTopics() {
    return Topics.prefixed("t" + UUID.randomUUID().toString().substring(0, 8) + ".");
  }

  private static ChangeEnvelope create(String name) {
    return new ChangeEnvelope(
        Op.CREATE,
        Precondition.mustBeAbsent(),
        Json.parseObject(
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\"prod\"}}"),
        new Actor("alice", List.of()),
        "req-" + name,
        Instant.parse("2026-11-23T10:15:30Z"));
  }

  @Test
  void recordsAreReadAtTheirOffsetsNearOrFarOneReadAfterAnother() throws Exception {
    KafkaSettings settings = KafkaSettings.of(SharedKafka.bootstrapServers(), freshTopics());
    TopicSetup.ensure(settings);
    try (KafkaChangeLog log = KafkaChangeLog.open(settings, "test")) {
      List<java.util.concurrent.CompletableFuture<Long>> appends = new java.util.ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        appends.add(log.append(create("d" + i)));
      }
      appends.get(appends.size() - 1).get(30, TimeUnit.SECONDS);
      // Adjacent, near (read through) and far apart (sought), first and last.
      long[] offsets = {0, 1, 2, 40, 50, 51, 1234, 2000, 2999};
      List<LogRecord> records = log.readRecords(offsets).get(30, TimeUnit.SECONDS);
      assertThat(records)
          .extracting(LogRecord::offset)
          .containsExactly(0L, 1L, 2L, 40L, 50L, 51L, 1234L, 2000L, 2999L);
      assertThat(records).extracting(LogRecord::key).contains("apps/Deployment/prod/d1234");
      // The same reader again, backwards in the log, and an empty read.
      assertThat(log.readRecords(new long[] {7}).get(30, TimeUnit.SECONDS))
          .extracting(LogRecord::key)
          .containsExactly("apps/Deployment/prod/d7");
      assertThat(log.readRecords(new long[0]).get()).isEmpty();
      // The interface's own reading, run by run, agrees.
      ChangeLog plain =
          new ChangeLog() {
            @Override
            public java.util.concurrent.CompletableFuture<Long> append(ChangeEnvelope e) {
              return log.append(e);
            }

            @Override
            public reactor.core.publisher.Flux<List<LogRecord>> readBatches(long from, long to) {
              return log.readBatches(from, to);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Long> endOffset() {
              return log.endOffset();
            }

            @Override
            public java.util.concurrent.CompletableFuture<Long> offsetForTime(Instant time) {
              return log.offsetForTime(time);
            }

            @Override
            public String logId() {
              return log.logId();
            }

            @Override
            public void close() {}
          };
      assertThat(plain.readRecords(offsets).get(30, TimeUnit.SECONDS))
          .extracting(LogRecord::offset)
          .containsExactly(0L, 1L, 2L, 40L, 50L, 51L, 1234L, 2000L, 2999L);
      // An offset past the end fails, once the reader has waited for it, rather than hangs.
      assertThatThrownBy(() -> log.readRecords(new long[] {5000}).get(60, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RuntimeException.class);
      assertThat(log.readRecords(new long[] {3}).get(30, TimeUnit.SECONDS)).hasSize(1);
    }
  }

  @Test
  void appendsReturnOffsetsAndReadsStartAnywhere() throws Exception {
    KafkaSettings settings = KafkaSettings.of(SharedKafka.bootstrapServers(), freshTopics());
    TopicSetup.ensure(settings);
    try (KafkaChangeLog log = KafkaChangeLog.open(settings, "test")) {
      for (int i = 0; i < 10; i++) {
        assertThat(log.append(create("d" + i)).get(30, TimeUnit.SECONDS)).isEqualTo(i);
      }
      assertThat(log.endOffset().get()).isEqualTo(10);
      List<LogRecord> tail =
          log.readBatches(7, 10)
              .flatMapIterable(b -> b)
              .collectList()
              .block(Duration.ofSeconds(30));
      assertThat(tail).extracting(LogRecord::offset).containsExactly(7L, 8L, 9L);
      assertThat(tail.get(0).key()).isEqualTo("apps/Deployment/prod/d7");
      assertThat(EnvelopeCodec.decode(tail.get(0).value())).isEqualTo(create("d7"));
      // Following the log: a record appended after the read began arrives.
      var next = log.read(10).next().toFuture();
      log.append(create("late")).get();
      assertThat(next.get(30, TimeUnit.SECONDS).key()).isEqualTo("apps/Deployment/prod/late");
      assertThat(log.offsetForTime(Instant.parse("2026-11-23T10:15:30Z")).get()).isZero();
      assertThat(log.offsetForTime(Instant.parse("2030-01-01T00:00:00Z")).get()).isEqualTo(11);
    }
  }

  @Test
  void anExistingChangeLogThatWouldLoseHistoryIsRefused() throws Exception {
    Topics topics = freshTopics();
    KafkaSettings settings = KafkaSettings.of(SharedKafka.bootstrapServers(), topics);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topics.changes(), 1, (short) 1)
                      .configs(Map.of("retention.ms", "604800000"))))
          .all()
          .get(30, TimeUnit.SECONDS);
      assertThatThrownBy(() -> TopicSetup.ensure(settings))
          .isInstanceOf(TopicConfigurationException.class)
          .hasMessageContaining(topics.changes())
          .hasMessageContaining("retention.ms=604800000");

      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topics.changes());
      admin
          .incrementalAlterConfigs(
              Map.of(
                  resource,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("retention.ms", "-1"), AlterConfigOp.OpType.SET),
                      new AlterConfigOp(
                          new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
      assertThatThrownBy(() -> TopicSetup.ensure(settings))
          .isInstanceOf(TopicConfigurationException.class)
          .hasMessageContaining("cleanup.policy=compact");

      admin
          .incrementalAlterConfigs(
              Map.of(
                  resource,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SET),
                      new AlterConfigOp(
                          new ConfigEntry("max.message.bytes", "1000000"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
      assertThatThrownBy(() -> TopicSetup.ensure(settings))
          .isInstanceOf(TopicConfigurationException.class)
          .hasMessageContaining("max.message.bytes=1000000");
    }
  }
}
