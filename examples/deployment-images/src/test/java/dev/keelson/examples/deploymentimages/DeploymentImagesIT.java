package dev.keelson.examples.deploymentimages;

import static dev.keelson.examples.deploymentimages.ApiObjects.deployment;
import static dev.keelson.examples.deploymentimages.ApiObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.change.Actor;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.broker.SharedKafka;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example against a real broker, fed by Keelson's own change log writer: the view holds exactly
 * the applied image changes, in order, with their actors; a follower killed mid-stream and started
 * again from its saved view, with Kafka's committed offset lagging behind, counts every change
 * exactly once.
 */
class DeploymentImagesIT {

  @TempDir Path dir;

  private final String group = "images-" + UUID.randomUUID();
  private final List<AutoCloseable> open = new ArrayList<>();
  private KafkaSettings settings;
  private KafkaChangeLog log;

  @BeforeEach
  void setUp() {
    Topics topics = Topics.prefixed("images" + UUID.randomUUID().toString().substring(0, 8) + ".");
    settings = KafkaSettings.of(SharedKafka.bootstrapServers(), topics);
    TopicSetup.ensure(settings);
    log = KafkaChangeLog.open(settings, "apiserver");
    open.add(log);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  @Test
  void theViewHoldsTheAppliedImagesOnceEachAcrossACrash() throws Exception {
    List<ImageChange> web = new ArrayList<>();
    List<ImageChange> api = new ArrayList<>();
    long created = applied(Op.CREATE, null, deployment("prod", "web", "nginx:1.25"), "alice", web);
    append(Op.CREATE, null, pod("prod", "web-x2x6q", "nginx:1.25"), "system:keelson:controllers");
    long bobs = applied(Op.UPDATE, created, deployment("prod", "web", "nginx:1.26"), "bob", web);
    long status =
        applied(Op.UPDATE_STATUS, bobs, deployment("prod", "web", "nginx:1.26"), "ctrl", null);
    append(Op.UPDATE, bobs, deployment("prod", "web", "evil:1"), "mallory"); // stale: rejected
    append(Op.CREATE, null, deployment("prod", "web", "evil:2"), "mallory"); // exists: rejected
    appendRaw("apps/Deployment/prod/web", "not an envelope"); // skipped
    long carols = applied(Op.UPDATE, status, deployment("prod", "web", "nginx:1.27"), "carol", web);
    long scaled =
        applied(Op.UPDATE, carols, deployment("prod", "web", "nginx:1.27", 5), "alice", null);
    applied(Op.DELETE, scaled, deployment("prod", "web", "nginx:1.27", 5), "alice", web);
    append(Op.UPDATE, scaled, deployment("prod", "web", "evil:3"), "mallory"); // gone: rejected

    ViewFile file = new ViewFile(dir.resolve("view.json"));
    DeploymentImagesFollower first = follower(file, 2);
    first.catchUp(Duration.ofSeconds(30));
    assertThat(first.view().deployments()).containsOnlyKeys("prod/web");
    assertThat(first.view().deployments().get("prod/web").history()).isEqualTo(web);
    assertThat(first.view().rejected()).isEqualTo(3);
    assertThat(first.view().skipped()).isEqualTo(1);

    long apis = applied(Op.CREATE, null, deployment("prod", "api", "api:1"), "dave", api);
    long api2 = applied(Op.UPDATE, apis, deployment("prod", "api", "api:2"), "bob", api);
    applied(Op.CREATE, null, deployment("prod", "web", "nginx:1.28"), "erin", web);
    append(Op.UPDATE, apis, deployment("prod", "api", "evil:4"), "mallory"); // stale: rejected
    append(Op.CREATE, null, pod("prod", "api-7b9x2", "api:2"), "system:keelson:controllers");
    // The first follower stops mid-stream, never closed: after two or three of those five.
    while (first.view().nextOffset() < apis + 1) {
      first.poll(Duration.ofMillis(200));
    }
    long killedAt = first.view().nextOffset();
    assertThat(killedAt).isLessThan(log.endOffset().get(30, TimeUnit.SECONDS));
    applied(Op.UPDATE, api2, deployment("prod", "api", "api:3"), "dave", api);
    assertThat(file.load().orElseThrow().nextOffset()).isEqualTo(killedAt);
    // As if the process had died between saving its view and committing: Kafka lags behind.
    commitOffset(2);

    DeploymentImagesFollower second = follower(file, 500);
    second.catchUp(Duration.ofSeconds(30));
    DeploymentImages.State view = second.view();
    assertThat(view.deployments()).containsOnlyKeys("prod/api", "prod/web");
    assertThat(view.deployments().get("prod/web").history()).isEqualTo(web);
    assertThat(view.deployments().get("prod/api").history()).isEqualTo(api);
    assertThat(web).hasSize(5);
    assertThat(api).hasSize(3);
    assertThat(view.rejected()).isEqualTo(4);
    assertThat(view.skipped()).isEqualTo(1);
    assertThat(view.nextOffset()).isEqualTo(log.endOffset().get(30, TimeUnit.SECONDS));
    assertThat(file.load()).contains(view);
    assertThat(committedOffset()).isEqualTo(view.nextOffset());

    // The same view as a follower that read the whole log without stopping.
    DeploymentImagesFollower fresh = follower(new ViewFile(dir.resolve("fresh.json")), 7);
    fresh.catchUp(Duration.ofSeconds(30));
    assertThat(fresh.view()).isEqualTo(view);
    assertThat(ImageTable.render(view))
        .contains("prod/web", "nginx:1.28", "erin", "(deleted)")
        .doesNotContain("evil", "mallory");
  }

  /** A follower with its own consumer, closed only after the test. */
  private DeploymentImagesFollower follower(ViewFile file, int maxPollRecords) {
    Map<String, Object> kafka =
        Map.of(
            "bootstrap.servers",
            settings.bootstrapServers(),
            "group.id",
            group,
            "max.poll.records",
            maxPollRecords);
    DeploymentImagesFollower follower =
        new DeploymentImagesFollower(kafka, settings.topics().changes(), file);
    open.add(follower);
    return follower;
  }

  /**
   * Appends a change that applies, and notes what the view must show of it (nothing when {@code
   * expected} is null); returns its revision. {@code revision} null means "must be absent".
   */
  private long applied(
      Op op, Long revision, ObjectNode object, String user, List<ImageChange> expected) {
    Instant time = Instant.now();
    long offset = append(op, revision, object, user, time);
    if (expected != null && op == Op.DELETE) {
      expected.add(ImageChange.deletion(offset + 1, time.toString(), user));
    } else if (expected != null) {
      String image =
          object
              .path("spec")
              .path("template")
              .path("spec")
              .path("containers")
              .path(0)
              .path("image")
              .asText();
      expected.add(new ImageChange(offset + 1, time.toString(), user, "main", image));
    }
    return offset + 1;
  }

  private void append(Op op, Long revision, ObjectNode object, String user) {
    append(op, revision, object, user, Instant.now());
  }

  /** Appends as Keelson's write path does; {@code revision} null means "must be absent". */
  private long append(Op op, Long revision, ObjectNode object, String user, Instant time) {
    ChangeEnvelope envelope =
        new ChangeEnvelope(
            op,
            revision == null
                ? Precondition.mustBeAbsent()
                : Precondition.atVersion(Long.toString(revision)),
            object,
            new Actor(user, List.of("system:authenticated")),
            UUID.randomUUID().toString(),
            time);
    try {
      return log.append(envelope).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A record that is not an envelope, as any producer with access to the topic could write. */
  private void appendRaw(String key, String value) throws Exception {
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers",
            settings.bootstrapServers(),
            "key.serializer",
            StringSerializer.class.getName(),
            "value.serializer",
            ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      producer
          .send(
              new ProducerRecord<>(
                  settings.topics().changes(), key, value.getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private void commitOffset(long offset) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
      admin
          .alterConsumerGroupOffsets(group, Map.of(partition(), new OffsetAndMetadata(offset)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    assertThat(committedOffset()).isEqualTo(offset);
  }

  private long committedOffset() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
      OffsetAndMetadata committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS)
              .get(partition());
      return committed == null ? -1 : committed.offset();
    }
  }

  private TopicPartition partition() {
    return new TopicPartition(settings.topics().changes(), 0);
  }
}
