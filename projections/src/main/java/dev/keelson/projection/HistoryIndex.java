package dev.keelson.projection;

import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Op;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Which records of the log concern which object, so that the history of one object reads exactly
 * its records instead of scanning the log: for every key, each record of it that the fold applied
 * or rejected, as one {@code long} (revision, op and verdict packed: {@code revision << 5 | op << 3
 * | outcome}, outcome 0 for applied, else 1 + the {@link Rejection}'s ordinal), in revision order;
 * and for every uid, its key and the revision of the create that gave it. Skipped records belong to
 * no key and are not indexed.
 *
 * <p>Changed only by the fold, one verdict at a time ({@link #record}), so a replay rebuilds it
 * exactly; snapshots carry it. Not thread-safe: {@link LogProjection} guards it with the state.
 */
final class HistoryIndex {

  private static final int OP_SHIFT = 3;
  private static final int REVISION_SHIFT = 5;
  private static final Op[] OPS = Op.values();
  private static final Rejection[] REJECTIONS = Rejection.values();
  private static final IndexedChange.Page EMPTY = new IndexedChange.Page(List.of(), 0);

  static {
    if (OPS.length > 4 || REJECTIONS.length > 7) {
      throw new ExceptionInInitializerError("an op or a rejection more than the packing holds");
    }
  }

  private final Map<ResourceKey, KeyChanges> byKey = new HashMap<>();
  private final Map<String, Incarnation> byUid = new HashMap<>();
  private long entries;

  /** The object that had a uid: its key and the revision of the create that gave it. */
  record Incarnation(ResourceKey key, long created) {}

  /** One key's part of the index, as a snapshot holds it. */
  record KeyHistory(
      ResourceKey key, long[] entries, Map<Long, String> messages, Map<String, Long> uids) {}

  /** The records of one key: a growing array, and the messages its key does not tell. */
  private static final class KeyChanges {
    final ResourceKey key;
    long[] entries = new long[2];
    int size;
    Map<Long, String> messages;

    KeyChanges(ResourceKey key) {
      this.key = key;
    }

    void add(long entry) {
      if (size == entries.length) {
        entries = Arrays.copyOf(entries, size + Math.max(2, size >> 1));
      }
      entries[size++] = entry;
    }

    /** The index of the first entry at or after {@code revision}; {@code size} when none. */
    int firstAtOrAfter(long revision) {
      int found = Arrays.binarySearch(entries, 0, size, revision << REVISION_SHIFT);
      return found >= 0 ? found : -found - 1;
    }
  }

  /** Adds what the fold decided for one record. */
  void record(Verdict verdict) {
    if (verdict instanceof Verdict.Applied applied) {
      ResourceKey key = applied.object().key();
      changesOf(key).add(pack(applied.revision(), applied.op(), null));
      String uid = applied.object().uid();
      if (applied.op() == Op.CREATE && uid != null && !uid.isEmpty()) {
        byUid.put(uid, new Incarnation(changesOf(key).key, applied.revision()));
      }
    } else if (verdict instanceof Verdict.Rejected rejected) {
      KeyChanges changes = changesOf(rejected.key());
      changes.add(pack(rejected.revision(), rejected.op(), rejected.reason()));
      if (!rejected.message().equals(ChangeFold.rejectionMessage(rejected.reason(), changes.key))) {
        if (changes.messages == null) {
          changes.messages = new HashMap<>(2);
        }
        changes.messages.put(rejected.revision(), rejected.message());
      }
    } else {
      return;
    }
    entries++;
  }

  private KeyChanges changesOf(ResourceKey key) {
    return byKey.computeIfAbsent(key, KeyChanges::new);
  }

  /** The records a query selects, oldest first, one page. */
  IndexedChange.Page query(HistoryQuery query) {
    if (query.subject() instanceof HistoryQuery.OfKey of) {
      KeyChanges changes = byKey.get(of.key());
      return changes == null ? EMPTY : ofKey(changes, changes.size, query);
    }
    if (query.subject() instanceof HistoryQuery.OfUid of) {
      return ofUid(of.uid(), query);
    }
    return inScope((HistoryQuery.InScope) query.subject(), query);
  }

  private IndexedChange.Page ofUid(String uid, HistoryQuery query) {
    Incarnation incarnation = byUid.get(uid);
    if (incarnation == null) {
      return EMPTY;
    }
    KeyChanges changes = byKey.get(incarnation.key());
    // The records of that object: from its create to the next applied create of its key.
    int end = changes.firstAtOrAfter(incarnation.created() + 1);
    while (end < changes.size && !isAppliedCreate(changes.entries[end])) {
      end++;
    }
    long from = Math.max(query.fromRevision(), incarnation.created());
    if (from >= query.toRevision()) {
      return EMPTY;
    }
    return ofKey(
        changes, end, new HistoryQuery(query.subject(), from, query.toRevision(), query.limit()));
  }

  /** The query's page of one key's records, among its first {@code stop} entries. */
  private static IndexedChange.Page ofKey(KeyChanges changes, int stop, HistoryQuery query) {
    List<IndexedChange> page = new ArrayList<>();
    for (int i = changes.firstAtOrAfter(query.fromRevision()); i < stop; i++) {
      long revision = revision(changes.entries[i]);
      if (revision >= query.toRevision()) {
        break;
      }
      if (page.size() == query.limit()) {
        return new IndexedChange.Page(page, revision);
      }
      page.add(change(changes, i));
    }
    return new IndexedChange.Page(page, 0);
  }

  /** The records of every key in scope, merged in revision order. */
  private IndexedChange.Page inScope(HistoryQuery.InScope scope, HistoryQuery query) {
    record Cursor(KeyChanges changes, int index) {
      long entry() {
        return changes.entries[index];
      }
    }
    PriorityQueue<Cursor> next = new PriorityQueue<>((a, b) -> Long.compare(a.entry(), b.entry()));
    for (KeyChanges changes : byKey.values()) {
      ResourceKey key = changes.key;
      if ((scope.kind() == null || scope.kind().equals(key.groupKind()))
          && (scope.namespace() == null || scope.namespace().equals(key.namespace()))) {
        int first = changes.firstAtOrAfter(query.fromRevision());
        if (first < changes.size && revision(changes.entries[first]) < query.toRevision()) {
          next.add(new Cursor(changes, first));
        }
      }
    }
    List<IndexedChange> page = new ArrayList<>();
    while (!next.isEmpty()) {
      Cursor cursor = next.poll();
      long revision = revision(cursor.entry());
      if (revision >= query.toRevision()) {
        continue;
      }
      if (page.size() == query.limit()) {
        return new IndexedChange.Page(page, revision);
      }
      page.add(change(cursor.changes(), cursor.index()));
      if (cursor.index() + 1 < cursor.changes().size) {
        next.add(new Cursor(cursor.changes(), cursor.index() + 1));
      }
    }
    return new IndexedChange.Page(page, 0);
  }

  private static IndexedChange change(KeyChanges changes, int index) {
    long entry = changes.entries[index];
    long revision = revision(entry);
    Rejection rejection = rejection(entry);
    String message = null;
    if (rejection != null) {
      message = changes.messages == null ? null : changes.messages.get(revision);
      if (message == null) {
        message = ChangeFold.rejectionMessage(rejection, changes.key);
      }
    }
    return new IndexedChange(
        revision, changes.key, op(entry), rejection, message, previous(changes, index));
  }

  /** The revision holding the version before entry {@code index}: the last applied, unless gone. */
  private static long previous(KeyChanges changes, int index) {
    for (int i = index - 1; i >= 0; i--) {
      long entry = changes.entries[i];
      if (rejection(entry) == null) {
        return op(entry) == Op.DELETE ? 0 : revision(entry);
      }
    }
    return 0;
  }

  /** The key of the object that had {@code uid}, if one had. */
  ResourceKey keyOfUid(String uid) {
    Incarnation incarnation = byUid.get(uid);
    return incarnation == null ? null : incarnation.key();
  }

  long keys() {
    return byKey.size();
  }

  long entries() {
    return entries;
  }

  long uids() {
    return byUid.size();
  }

  /** Takes one key's part of the index. */
  interface KeyWriter {
    void write(KeyHistory key) throws IOException;
  }

  /** Each key's part of the index, with the uids its creates gave, for a snapshot. */
  void forEach(KeyWriter consumer) throws IOException {
    Map<ResourceKey, Map<String, Long>> uids = new HashMap<>();
    byUid.forEach(
        (uid, incarnation) ->
            uids.computeIfAbsent(incarnation.key(), k -> new HashMap<>())
                .put(uid, incarnation.created()));
    for (KeyChanges changes : byKey.values()) {
      consumer.write(
          new KeyHistory(
              changes.key,
              Arrays.copyOf(changes.entries, changes.size),
              changes.messages == null ? Map.of() : changes.messages,
              uids.getOrDefault(changes.key, Map.of())));
    }
  }

  /** Puts back one key's part of the index, as {@link #forEach} gave it. */
  void restore(KeyHistory history) {
    KeyChanges changes = changesOf(history.key());
    for (long entry : history.entries()) {
      changes.add(entry);
    }
    if (!history.messages().isEmpty()) {
      changes.messages = new HashMap<>(history.messages());
    }
    history.uids().forEach((uid, created) -> byUid.put(uid, new Incarnation(changes.key, created)));
    entries += history.entries().length;
  }

  static long pack(long revision, Op op, Rejection rejection) {
    int outcome = rejection == null ? 0 : rejection.ordinal() + 1;
    return revision << REVISION_SHIFT | (long) op.ordinal() << OP_SHIFT | outcome;
  }

  static long revision(long entry) {
    return entry >>> REVISION_SHIFT;
  }

  static Op op(long entry) {
    return OPS[(int) (entry >>> OP_SHIFT) & 3];
  }

  static Rejection rejection(long entry) {
    int outcome = (int) entry & 7;
    return outcome == 0 ? null : REJECTIONS[outcome - 1];
  }

  private static boolean isAppliedCreate(long entry) {
    return rejection(entry) == null && op(entry) == Op.CREATE;
  }
}
