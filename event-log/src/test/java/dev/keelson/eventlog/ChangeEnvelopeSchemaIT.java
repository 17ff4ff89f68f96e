package dev.keelson.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.change.Actor;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.broker.SharedKafka;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The records the change log writes, read back raw from Kafka as an integrator reads them, keep the
 * contract of docs/topics.md: a value valid against the published JSON Schema, the key of the
 * object, and the CloudEvents headers of the Kafka binding.
 */
class ChangeEnvelopeSchemaIT {

  private static final Actor ALICE = new Actor("alice", List.of("system:authenticated"));
  private static final Actor BOB = new Actor("bob", List.of("system:authenticated"));
  private static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123456Z");

  /** One record expected: what was appended, and what its key and headers must be. */
  private record Expected(ChangeEnvelope envelope, String key, String type, String subject) {}

  @Test
  void recordsOfEveryOpAreValidEnvelopesWithCloudEventsHeaders() throws Exception {
    Topics topics = Topics.prefixed("schema" + UUID.randomUUID().toString().substring(0, 8) + ".");
    KafkaSettings settings = KafkaSettings.of(SharedKafka.bootstrapServers(), topics);
    TopicSetup.ensure(settings);
    List<Expected> expected = lifeOfADeploymentAndANode();
    try (KafkaChangeLog log = KafkaChangeLog.open(settings, "apiserver")) {
      for (int i = 0; i < expected.size(); i++) {
        assertThat(log.append(expected.get(i).envelope()).get(30, TimeUnit.SECONDS)).isEqualTo(i);
      }
    }

    List<ConsumerRecord<String, byte[]>> records =
        RawRecords.read(settings.bootstrapServers(), topics.changes(), expected.size());
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<String, byte[]> record = records.get(i);
      Expected want = expected.get(i);
      JsonNode value = Json.mapper().readTree(record.value());
      assertThat(EnvelopeSchema.problems(value)).as("record %d: %s", i, value).isEmpty();
      assertThat(value.path("op").asText()).isEqualTo(want.envelope().op().name());
      assertThat(EnvelopeCodec.decode(record.value()).object()).isEqualTo(want.envelope().object());
      assertThat(record.key()).isEqualTo(want.key());

      String requestId = value.path("requestId").asText();
      String time = value.path("time").asText();
      if (want.envelope().requestId() != null) {
        assertThat(requestId).isEqualTo(want.envelope().requestId());
        assertThat(time).isEqualTo(want.envelope().time().toString());
      }
      assertThat(RawRecords.headers(record))
          .as("headers of record %d", i)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "ce_specversion",
                  "1.0",
                  "ce_id",
                  requestId,
                  "ce_type",
                  want.type(),
                  "ce_source",
                  "/keelson/apiserver",
                  "ce_subject",
                  want.subject(),
                  "ce_time",
                  time,
                  "content-type",
                  "application/json"));
      assertThat(record.timestamp()).isEqualTo(Instant.parse(time).toEpochMilli());
    }
  }

  /**
   * A Deployment created, its image changed, its status reported, deleted; a Node (cluster-scoped)
   * created, then changed by a writer that gave neither a time nor a request id, which the log
   * stamps.
   */
  private static List<Expected> lifeOfADeploymentAndANode() {
    List<Expected> all = new ArrayList<>();
    String key = "apps/Deployment/prod/web";
    ObjectNode web = deployment("nginx:1.25", 1);
    all.add(
        new Expected(
            new ChangeEnvelope(
                Op.CREATE, Precondition.mustBeAbsent(), web, ALICE, "req-create", T0),
            key,
            "dev.keelson.apps.deployment.create",
            "prod/web"));
    ObjectNode updated = deployment("nginx:1.26", 2);
    all.add(
        new Expected(
            new ChangeEnvelope(
                Op.UPDATE,
                Precondition.atVersion("1"),
                updated,
                BOB,
                "req-update",
                T0.plusSeconds(60)),
            key,
            "dev.keelson.apps.deployment.update",
            "prod/web"));
    ObjectNode reported = updated.deepCopy();
    reported.putObject("status").put("observedGeneration", 2).put("replicas", 2);
    all.add(
        new Expected(
            new ChangeEnvelope(
                Op.UPDATE_STATUS,
                Precondition.atVersion("2"),
                reported,
                Actor.system("controllers"),
                "req-status",
                T0.plusSeconds(61)),
            key,
            "dev.keelson.apps.deployment.update_status",
            "prod/web"));
    all.add(
        new Expected(
            new ChangeEnvelope(
                Op.DELETE,
                Precondition.atVersion("3"),
                reported.deepCopy(),
                ALICE,
                "req-delete",
                T0.plusSeconds(120)),
            key,
            "dev.keelson.apps.deployment.delete",
            "prod/web"));
    ObjectNode node = node();
    all.add(
        new Expected(
            new ChangeEnvelope(
                Op.CREATE,
                Precondition.mustBeAbsent(),
                node,
                Actor.system("node-agent"),
                "req-node",
                T0.plusSeconds(180)),
            "/Node//node-1",
            "dev.keelson.core.node.create",
            "/node-1"));
    ObjectNode labelled = node.deepCopy();
    ((ObjectNode) labelled.get("metadata")).putObject("labels").put("zone", "a");
    all.add(
        new Expected(
            new ChangeEnvelope(Op.UPDATE, Precondition.atVersion("5"), labelled, ALICE, null, null),
            "/Node//node-1",
            "dev.keelson.core.node.update",
            "/node-1"));
    return all;
  }

  /** A Deployment as the write path stores it: uid, creationTimestamp and generation stamped. */
  private static ObjectNode deployment(String image, int generation) {
    return Json.parseObject(
        """
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "web", "namespace": "prod",
                      "uid": "0b6f3c5e-5d1e-4e8f-9a55-2f3f0c8b1a77",
                      "creationTimestamp": "2026-11-23T10:15:30Z", "generation": %d,
                      "labels": {"app": "web"}},
         "spec": {"replicas": 2,
                  "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"containers": [{"name": "web", "image": "%s"}]}}}}
        """
            .formatted(generation, image));
  }

  private static ObjectNode node() {
    return Json.parseObject(
        """
        {"apiVersion": "v1", "kind": "Node",
         "metadata": {"name": "node-1", "uid": "7d1c2b1e-1f0a-4c55-b2f4-3e1f5a9d0c42",
                      "creationTimestamp": "2026-11-23T10:18:30Z"},
         "status": {"capacity": {"cpu": "2", "memory": "4Gi", "pods": "110"}}}
        """);
  }
}
