package dev.keelson.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.write.Objects;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Nothing a foreign producer writes can stop a projection. */
class GarbageRecordIT {

  @Test
  void garbageIsSkippedAndCountedAndLaterRecordsStillApply() throws Exception {
    KafkaSettings settings = TestLogs.freshSettings();
    WriteContext context = WriteContext.of(new Actor("tester", List.of()));
    try (KafkaChangeLog log = TestLogs.open(settings);
        LogProjection projection = LogProjection.start(log, ProjectionOptions.defaults())) {
      WritePath path = new WritePath(log, projection, Clock.systemUTC());
      assertThat(path.create(Objects.configMap("default", "before", "k", "v"), context).get())
          .isInstanceOf(WriteResult.Accepted.class);

      String envelopeWithWrongKey =
          "{\"op\":\"CREATE\",\"object\":"
              + Json.text(Objects.configMap("default", "sneaky", "k", "v"))
              + "}";
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(
              Map.of(
                  "bootstrap.servers", settings.bootstrapServers(),
                  "key.serializer", StringSerializer.class.getName(),
                  "value.serializer", ByteArraySerializer.class.getName()))) {
        String topic = settings.topics().changes();
        producer
            .send(new ProducerRecord<>(topic, "garbage", new byte[] {0, 1, 2, (byte) 0xff}))
            .get();
        producer
            .send(
                new ProducerRecord<>(
                    topic, null, "{\"op\":\"CREATE\"".getBytes(StandardCharsets.UTF_8)))
            .get();
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    "x",
                    "{\"op\":\"EXPLODE\",\"object\":{}}".getBytes(StandardCharsets.UTF_8)))
            .get();
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    "/ConfigMap/default/other",
                    envelopeWithWrongKey.getBytes(StandardCharsets.UTF_8)))
            .get();
        producer.send(new ProducerRecord<>(topic, "null-value", null)).get();
      }

      WriteResult after =
          path.create(Objects.configMap("default", "after", "k", "v"), context).get();
      assertThat(after).isInstanceOf(WriteResult.Accepted.class);
      assertThat(projection.skippedRecords()).isEqualTo(5);
      assertThat(projection.get(ResourceKey.of("", "ConfigMap", "default", "after"))).isPresent();
      assertThat(projection.get(ResourceKey.of("", "ConfigMap", "default", "sneaky"))).isEmpty();
      assertThat(projection.verdict(2).get(10, TimeUnit.SECONDS))
          .isInstanceOf(Verdict.Skipped.class);
      assertThat(projection.revision()).isEqualTo(log.endOffset().get());
    }
  }
}
