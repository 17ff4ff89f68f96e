package dev.keelson.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.eventlog.EnvelopeCodec;
import dev.keelson.eventlog.LogRecord;
import dev.keelson.write.Objects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** state + records = state': the history index the fold keeps, and its queries. */
class HistoryIndexTest {

  private static final ResourceKey WEB = ResourceKey.of("", "ConfigMap", "default", "web");
  private static final ResourceKey DB = ResourceKey.of("", "ConfigMap", "default", "db");
  private static final ResourceKey OTHER = ResourceKey.of("", "ConfigMap", "other", "web");

  private final List<LogRecord> log = new ArrayList<>();
  private final ObjectStore state = new ObjectStore(0);

  private Verdict apply(Op op, Precondition precondition, ObjectNode object) {
    return ChangeFold.apply(state, TestRecords.append(log, op, precondition, object));
  }

  private static ObjectNode configMap(String namespace, String name, String value, String uid) {
    ObjectNode object = Objects.configMap(namespace, name, "k", value);
    ((ObjectNode) object.get("metadata")).put("uid", uid);
    return object;
  }

  private static HistoryQuery query(HistoryQuery.Subject subject) {
    return new HistoryQuery(subject, 1, Long.MAX_VALUE, 100);
  }

  private List<String> told(HistoryQuery query) {
    return state.history().query(query).changes().stream()
        .map(
            c ->
                c.revision()
                    + " "
                    + c.key().name()
                    + " "
                    + c.op()
                    + " "
                    + (c.applied() ? "applied" : c.rejection())
                    + " prev="
                    + c.previousRevision())
        .toList();
  }

  /** Revisions 1-9: web created, updated, a stale update, deleted, created again; db; other. */
  private void writeTheLog() {
    apply(Op.CREATE, Precondition.mustBeAbsent(), configMap("default", "web", "1", "u1")); // 1
    apply(Op.CREATE, Precondition.mustBeAbsent(), configMap("default", "db", "1", "d1")); // 2
    apply(Op.UPDATE, Precondition.atVersion("1"), configMap("default", "web", "2", "u1")); // 3
    apply(Op.UPDATE, Precondition.atVersion("1"), configMap("default", "web", "3", "u1")); // 4
    apply(Op.CREATE, Precondition.mustBeAbsent(), configMap("other", "web", "1", "o1")); // 5
    apply(Op.DELETE, Precondition.atVersion("3"), configMap("default", "web", "2", "u1")); // 6
    apply(Op.UPDATE, Precondition.none(), configMap("default", "web", "4", "u1")); // 7
    apply(Op.CREATE, Precondition.mustBeAbsent(), configMap("default", "web", "5", "u2")); // 8
    apply(Op.UPDATE, Precondition.none(), configMap("default", "web", "6", "u2")); // 9
  }

  @Test
  void everyRecordOfAKeyAppliedOrRejectedWithWhereItsPreviousVersionIs() {
    writeTheLog();
    assertThat(told(query(new HistoryQuery.OfKey(WEB))))
        .containsExactly(
            "1 web CREATE applied prev=0",
            "3 web UPDATE applied prev=1",
            "4 web UPDATE CONFLICT prev=3",
            "6 web DELETE applied prev=3",
            "7 web UPDATE NOT_FOUND prev=0",
            "8 web CREATE applied prev=0",
            "9 web UPDATE applied prev=8");
    IndexedChange stale =
        state.history().query(query(new HistoryQuery.OfKey(WEB))).changes().get(2);
    assertThat(stale.message())
        .isEqualTo(
            "Operation cannot be fulfilled on configmap \"web\": the object has been modified;"
                + " please apply your changes to the latest version and try again");
    assertThat(told(query(new HistoryQuery.OfKey(ResourceKey.of("", "ConfigMap", "x", "y")))))
        .isEmpty();
  }

  @Test
  void aUidIsItsObjectFromItsCreateToTheNextCreateOfItsKey() {
    writeTheLog();
    assertThat(told(query(new HistoryQuery.OfUid("u1"))))
        .extracting(line -> line.substring(0, line.indexOf(' ')))
        .containsExactly("1", "3", "4", "6", "7");
    assertThat(told(query(new HistoryQuery.OfUid("u2"))))
        .extracting(line -> line.substring(0, line.indexOf(' ')))
        .containsExactly("8", "9");
    assertThat(state.history().keyOfUid("o1")).isEqualTo(OTHER);
    assertThat(told(query(new HistoryQuery.OfUid("nobody")))).isEmpty();
  }

  @Test
  void aScopeMergesItsKeysInRevisionOrder() {
    writeTheLog();
    assertThat(told(query(new HistoryQuery.InScope(null, "default"))))
        .extracting(line -> line.substring(0, line.indexOf(' ', line.indexOf(' ') + 1)))
        .containsExactly("1 web", "2 db", "3 web", "4 web", "6 web", "7 web", "8 web", "9 web");
    assertThat(told(query(new HistoryQuery.InScope(GroupKind.core("ConfigMap"), null)))).hasSize(9);
    assertThat(told(query(new HistoryQuery.InScope(GroupKind.core("Pod"), null)))).isEmpty();
  }

  @Test
  void pagesAndRevisionRangesCutTheSameOrder() {
    writeTheLog();
    HistoryQuery.Subject everything = new HistoryQuery.InScope(null, null);
    IndexedChange.Page first = state.history().query(new HistoryQuery(everything, 2, 9, 3));
    assertThat(first.changes()).extracting(IndexedChange::revision).containsExactly(2L, 3L, 4L);
    assertThat(first.continueFrom()).isEqualTo(5);
    IndexedChange.Page second =
        state.history().query(new HistoryQuery(everything, first.continueFrom(), 9, 3));
    assertThat(second.changes()).extracting(IndexedChange::revision).containsExactly(5L, 6L, 7L);
    assertThat(second.continueFrom()).isEqualTo(8);
    IndexedChange.Page last =
        state.history().query(new HistoryQuery(everything, second.continueFrom(), 9, 3));
    assertThat(last.changes()).extracting(IndexedChange::revision).containsExactly(8L);
    assertThat(last.continueFrom()).isZero();

    IndexedChange.Page ofWeb =
        state.history().query(new HistoryQuery(new HistoryQuery.OfKey(WEB), 4, 8, 2));
    assertThat(ofWeb.changes()).extracting(IndexedChange::revision).containsExactly(4L, 6L);
    assertThat(ofWeb.continueFrom()).isEqualTo(7);
    // The previous version of the first record of a page is found before the page.
    assertThat(ofWeb.changes().get(0).previousRevision()).isEqualTo(3);
  }

  @Test
  void aSkippedRecordBelongsToNoKey() {
    apply(Op.CREATE, Precondition.mustBeAbsent(), configMap("default", "web", "1", "u1"));
    log.add(new LogRecord(log.size(), "garbage", "not json".getBytes(), 0));
    ChangeFold.apply(state, log.get(1));
    apply(Op.UPDATE, Precondition.none(), configMap("default", "web", "2", "u1"));
    assertThat(told(query(new HistoryQuery.InScope(null, null))))
        .containsExactly("1 web CREATE applied prev=0", "3 web UPDATE applied prev=1");
    assertThat(state.history().entries()).isEqualTo(2);
  }

  @Test
  void aRejectionWhoseMessageTheKeyDoesNotTellKeepsItsMessage() {
    ResourceKey b = ResourceKey.of("", "Service", "default", "b");
    apply(
        Op.CREATE,
        Precondition.mustBeAbsent(),
        Objects.service("default", "a", "127.64.0.7", 0, 0));
    apply(
        Op.CREATE,
        Precondition.mustBeAbsent(),
        Objects.service("default", "b", "127.64.0.7", 0, 0));
    IndexedChange rejected =
        state.history().query(query(new HistoryQuery.OfKey(b))).changes().get(0);
    assertThat(rejected.rejection()).isEqualTo(Rejection.ALLOCATED);
    assertThat(rejected.message())
        .isEqualTo("failed to allocate IP 127.64.0.7: provided IP is already allocated");
  }

  @Test
  void aSnapshotCarriesTheIndexAndTheTailContinuesIt(@TempDir Path dir) throws Exception {
    writeTheLog();
    new SnapshotStore(dir).write("log-1", state);
    ObjectStore restored = new SnapshotStore(dir).latest("log-1", 100).orElseThrow();
    ObjectStore replayed = new ObjectStore(0);
    for (LogRecord record : log) {
      ChangeFold.apply(replayed, record);
    }
    // The same tail on both: the index goes on from the snapshot as from the replay.
    apply(Op.UPDATE, Precondition.none(), configMap("default", "db", "2", "d1"));
    ChangeFold.apply(restored, log.get(log.size() - 1));
    ChangeFold.apply(replayed, log.get(log.size() - 1));
    for (HistoryQuery.Subject subject :
        List.of(
            new HistoryQuery.OfKey(WEB),
            new HistoryQuery.OfKey(DB),
            new HistoryQuery.OfUid("u1"),
            new HistoryQuery.OfUid("o1"),
            new HistoryQuery.InScope(null, null))) {
      assertThat(restored.history().query(query(subject)))
          .isEqualTo(replayed.history().query(query(subject)))
          .isEqualTo(state.history().query(query(subject)));
    }
    assertThat(restored.history().entries()).isEqualTo(10);
    // A reader that keeps no index reads the same snapshot without it.
    assertThat(new SnapshotStore(dir).latest("log-1", 100, false).orElseThrow().history()).isNull();
  }

  @Test
  void aSnapshotWithoutTheIndexIsNoSnapshotForAReaderThatKeepsOne(@TempDir Path dir)
      throws Exception {
    ObjectStore withoutHistory = ObjectStore.withoutHistory(0);
    ChangeFold.apply(
        withoutHistory,
        new LogRecord(
            0,
            WEB.toString(),
            EnvelopeCodec.encode(
                new ChangeEnvelope(
                    Op.CREATE,
                    Precondition.mustBeAbsent(),
                    configMap("default", "web", "1", "u1"),
                    null,
                    null,
                    null)),
            0));
    new SnapshotStore(dir).write("log-1", withoutHistory);
    assertThat(new SnapshotStore(dir).latest("log-1", 100)).isEmpty();
    assertThat(new SnapshotStore(dir).latest("log-1", 100, false)).isPresent();
  }
}
