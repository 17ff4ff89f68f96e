package dev.keelson.eventlog;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the Kafka cluster is, which topics to use, and any extra client properties (security
 * settings for an external cluster, for example), applied to every client Keelson makes.
 */
public record KafkaSettings(String bootstrapServers, Topics topics, Map<String, Object> extra) {

  public KafkaSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    topics = topics == null ? Topics.defaults() : topics;
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  public static KafkaSettings of(String bootstrapServers, Topics topics) {
    return new KafkaSettings(bootstrapServers, topics, Map.of());
  }

  Map<String, Object> clientConfig(String clientId) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("client.id", clientId);
    config.putAll(extra);
    return config;
  }
}
