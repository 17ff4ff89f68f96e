package dev.keelson.projection;

import dev.keelson.broker.SharedKafka;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import java.util.UUID;

/** A fresh change log of its own, on the JVM's shared embedded broker, for each test. */
public final class TestLogs {

  private TestLogs() {}

  public static KafkaSettings freshSettings() {
    KafkaSettings settings =
        KafkaSettings.of(
            SharedKafka.bootstrapServers(),
            Topics.prefixed("t" + UUID.randomUUID().toString().substring(0, 8) + "."));
    TopicSetup.ensure(settings);
    return settings;
  }

  public static KafkaChangeLog open(KafkaSettings settings) {
    return KafkaChangeLog.open(settings, "test");
  }
}
