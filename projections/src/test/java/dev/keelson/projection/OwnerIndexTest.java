package dev.keelson.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.eventlog.EnvelopeCodec;
import dev.keelson.eventlog.LogRecord;
import dev.keelson.write.Objects;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The owner index: state + records = the dependents of each owner uid, across kinds. */
class OwnerIndexTest {

  private final List<LogRecord> log = new ArrayList<>();
  private final ObjectStore state = new ObjectStore(0);

  private void apply(Op op, ObjectNode object) {
    ChangeEnvelope envelope = new ChangeEnvelope(op, Precondition.none(), object, null, null, null);
    LogRecord record =
        new LogRecord(log.size(), envelope.key().toString(), EnvelopeCodec.encode(envelope), 0);
    log.add(record);
    assertThat(ChangeFold.apply(state, record)).isInstanceOf(Verdict.Applied.class);
  }

  private static ObjectNode owned(ObjectNode object, String... ownerUids) {
    ArrayNode refs = object.with("metadata").putArray("ownerReferences");
    for (String uid : ownerUids) {
      refs.addObject()
          .put("apiVersion", "apps/v1")
          .put("kind", "ReplicaSet")
          .put("name", "rs-" + uid)
          .put("uid", uid)
          .put("controller", true)
          .put("blockOwnerDeletion", true);
    }
    return object;
  }

  private List<String> dependents(String uid) {
    return state.dependents(uid).stream().map(o -> o.key().toString()).toList();
  }

  @Test
  void findsDependentsOfEveryKindByOwnerUid() {
    apply(Op.CREATE, owned(Objects.pod("a", "web-2", null), "u1"));
    apply(Op.CREATE, owned(Objects.configMap("a", "settings", "k", "v"), "u1", "u2"));
    apply(Op.CREATE, owned(Objects.pod("b", "web-1", null), "u1"));
    apply(Op.CREATE, Objects.pod("a", "alone", null));

    assertThat(dependents("u1"))
        .containsExactly("/ConfigMap/a/settings", "/Pod/a/web-2", "/Pod/b/web-1");
    assertThat(dependents("u2")).containsExactly("/ConfigMap/a/settings");
    assertThat(dependents("nobody")).isEmpty();
    assertThat(state.get(dev.keelson.api.ResourceKey.of("", "Pod", "a", "web-2")).owners())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.group()).isEqualTo("apps");
              assertThat(o.kind()).isEqualTo("ReplicaSet");
              assertThat(o.blockOwnerDeletion()).isTrue();
            });
  }

  @Test
  void followsOwnersThatChangeAndObjectsThatGo() {
    apply(Op.CREATE, owned(Objects.configMap("a", "settings", "k", "v"), "u1", "u2"));
    apply(Op.UPDATE, owned(Objects.configMap("a", "settings", "k", "v2"), "u2", "u3"));
    assertThat(dependents("u1")).isEmpty();
    assertThat(dependents("u2")).containsExactly("/ConfigMap/a/settings");
    assertThat(dependents("u3")).containsExactly("/ConfigMap/a/settings");

    apply(Op.UPDATE, Objects.configMap("a", "settings", "k", "v3"));
    assertThat(dependents("u2")).isEmpty();
    assertThat(dependents("u3")).isEmpty();

    apply(Op.UPDATE, owned(Objects.configMap("a", "settings", "k", "v4"), "u4"));
    apply(Op.DELETE, Objects.configMap("a", "settings", "k", "v4"));
    assertThat(dependents("u4")).isEmpty();
  }

  @Test
  void listsEveryKindWhenTheQueryNamesNone() {
    apply(Op.CREATE, Objects.pod("b", "web", null));
    apply(Op.CREATE, Objects.configMap("a", "settings", "k", "v"));
    assertThat(state.list(ListQuery.everyKind()))
        .extracting(o -> o.key().toString())
        .containsExactly("/ConfigMap/a/settings", "/Pod/b/web");
    assertThat(
            LogProjection.matches(
                state.get(dev.keelson.api.ResourceKey.of("", "Pod", "b", "web")), null, null))
        .isTrue();
  }
}
