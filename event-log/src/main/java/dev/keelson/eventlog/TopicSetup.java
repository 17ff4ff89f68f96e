package dev.keelson.eventlog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Keelson's topics where they are absent, configured as the design states, and refuses to
 * go on when an existing change log is configured in a way that would lose history (time or size
 * retention, compaction, more than one partition) or reject large objects.
 */
public final class TopicSetup {

  /** The largest record the change log must accept, at the least. */
  public static final int MIN_MESSAGE_BYTES = 2 * 1024 * 1024;

  /** The record size limit Keelson gives the change log it creates. */
  public static final int MESSAGE_BYTES = 4 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
  private static final long DAY_MS = TimeUnit.DAYS.toMillis(1);
  private static final long METRICS_SEGMENT_MS = TimeUnit.MINUTES.toMillis(10);

  private TopicSetup() {}

  /** Ensures every topic of {@code settings}; blocking, meant for start-up. */
  public static void ensure(KafkaSettings settings) {
    Map<String, Object> config = settings.clientConfig("keelson-topic-setup");
    config.putIfAbsent("default.api.timeout.ms", 30_000);
    config.putIfAbsent("request.timeout.ms", 15_000);
    try (Admin admin = Admin.create(config)) {
      ensure(admin, settings.topics());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting up topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot reach Kafka at " + settings.bootstrapServers() + " within 30 s; is it running?",
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String reason =
          cause instanceof org.apache.kafka.common.errors.TimeoutException
              ? "no answer within 30 s; is it running?"
              : cause.getMessage();
      throw new IllegalStateException(
          "cannot set up Keelson's topics at " + settings.bootstrapServers() + ": " + reason, e);
    }
  }

  static void ensure(Admin admin, Topics topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
    short replication = (short) Math.max(1, Math.min(3, brokers));
    List<NewTopic> wanted =
        List.of(
            topic(
                topics.changes(),
                replication,
                Map.of(
                    "cleanup.policy", "delete",
                    "retention.ms", "-1",
                    "retention.bytes", "-1",
                    "max.message.bytes", Integer.toString(MESSAGE_BYTES))),
            topic(
                topics.heartbeats(),
                replication,
                Map.of("cleanup.policy", "compact", "segment.ms", Long.toString(DAY_MS))),
            topic(
                topics.metrics(),
                replication,
                // Compacted to the latest usage of each pod and node, so a projection replays one
                // record per key, not a day of samples; what compaction leaves of pods long gone
                // (their deletes) ages out with the retention.
                Map.of(
                    "cleanup.policy", "compact,delete",
                    "retention.ms", Long.toString(DAY_MS),
                    "segment.ms", Long.toString(METRICS_SEGMENT_MS))),
            topic(
                topics.clusterEvents(),
                replication,
                Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(7 * DAY_MS))));
    Collection<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (NewTopic topic : wanted) {
      if (!existing.contains(topic.name())) {
        missing.add(topic);
      }
    }
    for (NewTopic topic : missing) {
      try {
        admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        LOG.info("created topic {} {}", topic.name(), topic.configs());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    verifyChangeLog(admin, topics.changes());
  }

  private static NewTopic topic(String name, short replication, Map<String, String> configs) {
    return new NewTopic(name, 1, replication).configs(configs);
  }

  private static void verifyChangeLog(Admin admin, String name)
      throws InterruptedException, ExecutionException, TimeoutException {
    TopicDescription description =
        admin.describeTopics(List.of(name)).topicNameValues().get(name).get(30, TimeUnit.SECONDS);
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
    Config config =
        admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    List<String> problems = changeLogProblems(description.partitions().size(), config);
    if (!problems.isEmpty()) {
      throw new TopicConfigurationException(
          "refusing to start: topic "
              + name
              + " "
              + String.join("; ", problems)
              + ". Keelson keeps its change log forever in one partition; fix the topic"
              + " configuration (kafka-configs.sh --alter --entity-type topics --entity-name "
              + name
              + " ...) or use another topic.");
    }
  }

  /** What is wrong with a change-log topic of this partition count and configuration. */
  static List<String> changeLogProblems(int partitions, Config config) {
    List<String> problems = new ArrayList<>();
    if (partitions != 1) {
      problems.add("has " + partitions + " partitions, needs exactly 1 (the offset is the order)");
    }
    String cleanup = value(config, "cleanup.policy");
    if (cleanup.contains("compact")) {
      problems.add("has cleanup.policy=" + cleanup + ", which drops history (needs delete)");
    }
    String retentionMs = value(config, "retention.ms");
    if (!retentionMs.equals("-1")) {
      problems.add("has retention.ms=" + retentionMs + ", which drops history (needs -1)");
    }
    String retentionBytes = value(config, "retention.bytes");
    if (!retentionBytes.equals("-1")) {
      problems.add("has retention.bytes=" + retentionBytes + ", which drops history (needs -1)");
    }
    String maxMessageBytes = value(config, "max.message.bytes");
    if (parseLong(maxMessageBytes) < MIN_MESSAGE_BYTES) {
      problems.add(
          "has max.message.bytes="
              + maxMessageBytes
              + ", which rejects large objects (needs at least "
              + MIN_MESSAGE_BYTES
              + ")");
    }
    return problems;
  }

  private static String value(Config config, String name) {
    ConfigEntry entry = config.get(name);
    return entry == null || entry.value() == null ? "" : entry.value();
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
