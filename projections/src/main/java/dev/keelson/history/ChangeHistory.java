package dev.keelson.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.eventlog.ChangeLog;
import dev.keelson.eventlog.EnvelopeCodec;
import dev.keelson.eventlog.LogRecord;
import dev.keelson.projection.HistoryQuery;
import dev.keelson.projection.IndexedChange;
import dev.keelson.projection.Projection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Who changed what: the history of objects, told from the change log. The projection's history
 * index says which records a query selects, with their verdicts and where each object's previous
 * version is; this reads exactly those records from the log (a page's records and, for the first
 * record of each object in the page, the one holding its previous version) and tells each as a
 * {@link HistoryEntry}, with the JSON patch it made. Nothing is scanned: a history of one object
 * costs its own records, however long the log.
 */
public final class ChangeHistory {

  private final ChangeLog log;
  private final Projection projection;
  private final SecretValues secrets = new SecretValues();

  public ChangeHistory(ChangeLog log, Projection projection) {
    this.log = log;
    this.projection = projection;
  }

  /** The projection whose index this reads: its revision is how far the history goes. */
  public Projection projection() {
    return projection;
  }

  /**
   * One page of the history {@code query} selects, oldest first. The index is asked and the patches
   * are made off the caller's thread (an event loop, say): a page of a whole kind merges the
   * records of many keys.
   */
  public CompletableFuture<HistoryEntry.Page> read(HistoryQuery query) {
    return CompletableFuture.supplyAsync(() -> projection.history(query))
        .thenCompose(
            page -> log.readRecords(offsets(page)).thenApplyAsync(records -> tell(page, records)));
  }

  /** The offsets of a page's records and of those holding each object's previous version. */
  private static long[] offsets(IndexedChange.Page page) {
    TreeSet<Long> revisions = new TreeSet<>();
    for (IndexedChange change : page.changes()) {
      revisions.add(change.revision());
      if (change.previousRevision() != 0) {
        revisions.add(change.previousRevision());
      }
    }
    return revisions.stream().mapToLong(r -> r - 1).toArray();
  }

  /** The revision of the first record at or after {@code time}: the next revision if none is. */
  public CompletableFuture<Long> revisionAt(Instant time) {
    return log.offsetForTime(time).thenApply(offset -> offset + 1);
  }

  private HistoryEntry.Page tell(IndexedChange.Page page, List<LogRecord> records) {
    Map<Long, LogRecord> byRevision = new HashMap<>();
    for (LogRecord record : records) {
      byRevision.put(record.offset() + 1, record);
    }
    Map<Long, ChangeEnvelope> decoded = new HashMap<>();
    List<HistoryEntry> entries = new ArrayList<>(page.changes().size());
    for (IndexedChange change : page.changes()) {
      ChangeEnvelope envelope = envelope(change.revision(), byRevision, decoded);
      ObjectNode before =
          change.previousRevision() == 0
              ? null
              : envelope(change.previousRevision(), byRevision, decoded).object();
      ObjectNode after = change.op() == Op.DELETE ? null : envelope.object();
      Instant time =
          envelope.time() != null
              ? envelope.time()
              : Instant.ofEpochMilli(byRevision.get(change.revision()).timestampMillis());
      String uid = Meta.uid(envelope.object());
      entries.add(
          new HistoryEntry(
              change.revision(),
              time,
              envelope.actor(),
              envelope.requestId(),
              change.op(),
              change.rejection(),
              change.message(),
              change.key(),
              uid.isEmpty() ? null : uid,
              ChangePatch.between(
                  secrets.hidden(change.key(), before), secrets.hidden(change.key(), after))));
    }
    return new HistoryEntry.Page(entries, page.continueFrom());
  }

  private static ChangeEnvelope envelope(
      long revision, Map<Long, LogRecord> records, Map<Long, ChangeEnvelope> decoded) {
    ChangeEnvelope envelope = decoded.get(revision);
    if (envelope == null) {
      LogRecord record = records.get(revision);
      if (record == null) {
        throw new IllegalStateException("the change log does not hold revision " + revision);
      }
      envelope = EnvelopeCodec.decode(record.value());
      decoded.put(revision, envelope);
    }
    return envelope;
  }
}
