package dev.keelson.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The schema refuses what Keelson never writes, so that the IT's "valid" means something. */
class ChangeEnvelopeSchemaTest {

  private static final String UPDATE =
      """
      {"op": "UPDATE",
       "precondition": {"resourceVersion": "41"},
       "object": {"apiVersion": "apps/v1", "kind": "Deployment",
                  "metadata": {"name": "web", "namespace": "prod",
                               "uid": "0b6f3c5e-5d1e-4e8f-9a55-2f3f0c8b1a77",
                               "creationTimestamp": "2026-11-23T10:15:30Z", "generation": 2},
                  "spec": {"replicas": 2}},
       "actor": {"user": "alice", "groups": ["system:authenticated"]},
       "requestId": "req-1",
       "time": "2026-11-23T10:15:30.123456Z"}
      """;

  @Test
  void aWellFormedEnvelopeIsValid() {
    assertThat(EnvelopeSchema.problems(Json.parseObject(UPDATE))).isEmpty();
  }

  @Test
  void malformedEnvelopesAreInvalid() {
    assertInvalid(e -> e.put("op", "PATCH"));
    assertInvalid(e -> e.remove("op"));
    assertInvalid(e -> e.remove("precondition"));
    assertInvalid(e -> e.putObject("precondition"));
    assertInvalid(e -> e.putObject("precondition").put("absent", true));
    assertInvalid(e -> field(e, "precondition").put("resourceVersion", "0"));
    assertInvalid(e -> field(e, "precondition").put("resourceVersion", 41));
    assertInvalid(e -> e.put("op", "CREATE"));
    assertInvalid(e -> e.remove("object"));
    assertInvalid(e -> field(e, "object").remove("kind"));
    assertInvalid(e -> field(field(e, "object"), "metadata").remove("name"));
    assertInvalid(e -> field(field(e, "object"), "metadata").remove("uid"));
    assertInvalid(e -> field(e, "object").put("apiVersion", "apps"));
    assertInvalid(e -> field(e, "actor").remove("user"));
    assertInvalid(e -> e.put("actor", "alice"));
    assertInvalid(e -> e.put("requestId", ""));
    assertInvalid(e -> e.put("time", "yesterday"));
    assertInvalid(e -> e.put("time", "2026-11-23T10:15:30+01:00"));
  }

  @Test
  void aCreateNamesAbsence() {
    ObjectNode create = Json.parseObject(UPDATE);
    create.put("op", "CREATE");
    create.putObject("precondition").put("absent", true);
    assertThat(EnvelopeSchema.problems(create)).isEmpty();
  }

  private static void assertInvalid(Consumer<ObjectNode> breakIt) {
    ObjectNode envelope = Json.parseObject(UPDATE);
    breakIt.accept(envelope);
    assertThat(EnvelopeSchema.problems(envelope)).as(envelope.toString()).isNotEmpty();
  }

  private static ObjectNode field(ObjectNode node, String name) {
    return (ObjectNode) node.get(name);
  }
}
