package dev.keelson.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.eventlog.LogRecord;
import dev.keelson.write.Objects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** state + records = state': the fold, with no broker. */
class ChangeFoldTest {

  private final List<LogRecord> log = new ArrayList<>();

  private LogRecord record(Op op, Precondition precondition, ObjectNode object) {
    return TestRecords.append(log, op, precondition, object);
  }

  @Test
  void createUpdateDeleteWithPreconditions() {
    ObjectStore state = new ObjectStore(0);
    ResourceKey key = ResourceKey.of("", "Pod", "default", "web-1");
    ObjectNode pod = Objects.pod("default", "web-1", "node-a");

    Verdict created = ChangeFold.apply(state, record(Op.CREATE, Precondition.mustBeAbsent(), pod));
    assertThat(created).isInstanceOf(Verdict.Applied.class);
    assertThat(state.get(key).revision()).isEqualTo(1);
    assertThat(state.get(key).object().path("metadata").path("resourceVersion").asText())
        .isEqualTo("1");

    Verdict duplicate =
        ChangeFold.apply(state, record(Op.CREATE, Precondition.mustBeAbsent(), pod));
    assertThat(duplicate)
        .isInstanceOfSatisfying(
            Verdict.Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo(Rejection.ALREADY_EXISTS);
              assertThat(r.message()).isEqualTo("pod \"web-1\" already exists");
            });

    ObjectNode moved = Objects.pod("default", "web-1", "node-b");
    Verdict stale = ChangeFold.apply(state, record(Op.UPDATE, Precondition.atVersion("7"), moved));
    assertThat(stale)
        .isInstanceOfSatisfying(
            Verdict.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejection.CONFLICT));
    assertThat(state.get(key).fields()).containsEntry("spec.nodeName", "node-a");

    Verdict updated =
        ChangeFold.apply(state, record(Op.UPDATE, Precondition.atVersion("1"), moved));
    assertThat(updated)
        .isInstanceOfSatisfying(
            Verdict.Applied.class, a -> assertThat(a.previous().revision()).isEqualTo(1));
    assertThat(state.get(key).revision()).isEqualTo(4);
    assertThat(
            state.list(
                ListQuery.all(GroupKind.core("Pod")).withFields(Map.of("spec.nodeName", "node-b"))))
        .hasSize(1);
    assertThat(
            state.list(
                ListQuery.all(GroupKind.core("Pod")).withFields(Map.of("spec.nodeName", "node-a"))))
        .isEmpty();

    Verdict deleted =
        ChangeFold.apply(state, record(Op.DELETE, Precondition.atVersion("4"), moved));
    assertThat(deleted).isInstanceOf(Verdict.Applied.class);
    assertThat(state.get(key)).isNull();
    assertThat(state.list(ListQuery.all(GroupKind.core("Pod")).withLabels(Map.of("app", "web"))))
        .isEmpty();

    Verdict gone = ChangeFold.apply(state, record(Op.UPDATE, Precondition.none(), moved));
    assertThat(gone)
        .isInstanceOfSatisfying(
            Verdict.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejection.NOT_FOUND));
    assertThat(state.revision()).isEqualTo(6);
  }

  @Test
  void theSameRecordsGiveTheSameState() {
    ObjectStore first = new ObjectStore(0);
    for (int i = 0; i < 30; i++) {
      ObjectNode cm =
          Objects.configMap("ns-" + (i % 3), "cm-" + (i % 10), "v", Integer.toString(i));
      Op op = i < 10 ? Op.CREATE : (i % 4 == 0 ? Op.DELETE : Op.UPDATE);
      ChangeFold.apply(first, record(op, Precondition.none(), cm));
    }
    ObjectStore second = new ObjectStore(0);
    log.forEach(r -> ChangeFold.apply(second, r));
    assertThat(second.all()).isEqualTo(first.all());
    assertThat(second.revision()).isEqualTo(first.revision()).isEqualTo(30);
  }

  @Test
  void listsByNamespaceAndLabelInKeyOrder() {
    ObjectStore state = new ObjectStore(0);
    for (String ns : List.of("b", "a")) {
      for (String name : List.of("z", "m", "c")) {
        ChangeFold.apply(
            state, record(Op.CREATE, Precondition.mustBeAbsent(), Objects.pod(ns, name, null)));
      }
    }
    GroupKind pods = GroupKind.core("Pod");
    assertThat(state.list(ListQuery.all(pods)))
        .extracting(o -> o.key().namespace() + "/" + o.key().name())
        .containsExactly("a/c", "a/m", "a/z", "b/c", "b/m", "b/z");
    assertThat(state.list(ListQuery.in(pods, "b").withLabels(Map.of("app", "web"))))
        .extracting(o -> o.key().name())
        .containsExactly("c", "m", "z");
    assertThat(state.list(ListQuery.in(pods, "c"))).isEmpty();
    assertThat(state.list(ListQuery.all(pods).withFields(Map.of("metadata.name", "m"))))
        .extracting(o -> o.key().namespace())
        .containsExactly("a", "b");
    assertThat(state.list(ListQuery.in(pods, "b").withFields(Map.of("metadata.name", "m"))))
        .extracting(o -> o.key().namespace())
        .containsExactly("b");
    assertThat(state.list(ListQuery.all(pods).withFields(Map.of("metadata.namespace", "a"))))
        .hasSize(3);
    assertThat(state.list(ListQuery.all(GroupKind.core("Service")))).isEmpty();
  }
}
