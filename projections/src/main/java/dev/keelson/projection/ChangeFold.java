package dev.keelson.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.eventlog.EnvelopeCodec;
import dev.keelson.eventlog.LogRecord;
import dev.keelson.eventlog.MalformedRecordException;
import java.util.Locale;

/**
 * The fold of the change log: state + record = state'. Deterministic: the verdict of a record
 * depends only on the state the records before it produced, so every projection of the same log
 * reaches the same verdicts and the same state, with no leader and no lock.
 */
final class ChangeFold {

  private ChangeFold() {}

  /**
   * A record read and checked, with the stored form its object would take: the part of the fold
   * that needs no state, which a projection does ahead of applying, on another thread.
   */
  record Prepared(
      long offset,
      ChangeEnvelope envelope,
      ResourceKey key,
      StoredObject candidate,
      String problem) {}

  static Prepared prepare(LogRecord record) {
    long revision = record.offset() + 1;
    try {
      ChangeEnvelope envelope = EnvelopeCodec.decode(record.value());
      ResourceKey key = envelope.key();
      if (record.key() != null && !record.key().equals(key.toString())) {
        return new Prepared(
            record.offset(),
            null,
            null,
            null,
            "record key " + record.key() + " is not the object's key " + key);
      }
      StoredObject candidate =
          envelope.op() == Op.DELETE ? null : stored(envelope.object(), revision);
      return new Prepared(record.offset(), envelope, key, candidate, null);
    } catch (MalformedRecordException | IllegalArgumentException e) {
      return new Prepared(record.offset(), null, null, null, e.getMessage());
    }
  }

  /** Applies one record to {@code state} and says what it did. */
  static Verdict apply(ObjectStore state, LogRecord record) {
    return apply(state, prepare(record));
  }

  /** Applies one prepared record to {@code state} and says what it did. */
  static Verdict apply(ObjectStore state, Prepared record) {
    return apply(state, record, false);
  }

  /**
   * Applies one prepared record; with {@code lastWriterWins}, regardless of its precondition (a
   * create or update puts, a delete removes whatever is there).
   */
  static Verdict apply(ObjectStore state, Prepared record, boolean lastWriterWins) {
    long revision = record.offset() + 1;
    Verdict verdict =
        record.problem() != null
            ? new Verdict.Skipped(revision, record.problem())
            : lastWriterWins
                ? put(state.get(record.key()), record, revision)
                : decide(state, state.get(record.key()), record, revision);
    if (verdict instanceof Verdict.Applied applied) {
      if (applied.op() == Op.DELETE) {
        state.remove(applied.object().key());
      } else {
        state.put(applied.object());
      }
    }
    state.advance(revision, verdict);
    return verdict;
  }

  /** The verdict for a last-writer-wins change: applied, unless it deletes what is not there. */
  private static Verdict put(StoredObject current, Prepared record, long revision) {
    ChangeEnvelope envelope = record.envelope();
    Op op = envelope.op();
    if (op == Op.DELETE) {
      if (current == null) {
        return reject(envelope, record.key(), Rejection.NOT_FOUND, null, revision);
      }
      return new Verdict.Applied(
          revision, op, envelope.actor(), stored(envelope.object(), revision), current);
    }
    Op effective = current == null ? Op.CREATE : (op == Op.CREATE ? Op.UPDATE : op);
    return new Verdict.Applied(revision, effective, envelope.actor(), record.candidate(), current);
  }

  /** The verdict for a change of an object whose current state is {@code current} (or null). */
  private static Verdict decide(
      ObjectStore state, StoredObject current, Prepared record, long revision) {
    ChangeEnvelope envelope = record.envelope();
    ResourceKey key = record.key();
    Precondition precondition = envelope.precondition();
    Op op = envelope.op();
    if (current != null && (op == Op.CREATE || precondition.requiresAbsent())) {
      return reject(envelope, key, Rejection.ALREADY_EXISTS, current, revision);
    }
    if (op == Op.CREATE) {
      return claimsFree(state, null, record, revision);
    }
    if (current == null) {
      return reject(envelope, key, Rejection.NOT_FOUND, null, revision);
    }
    String expected = precondition.resourceVersion();
    if (expected != null && !expected.equals(current.resourceVersion())) {
      return reject(envelope, key, Rejection.CONFLICT, current, revision);
    }
    if (op == Op.DELETE) {
      return new Verdict.Applied(
          revision, op, envelope.actor(), stored(envelope.object(), revision), current);
    }
    return claimsFree(state, current, record, revision);
  }

  /**
   * Applied, unless the object would take a claim (a cluster IP, a node port, ...) another object
   * holds: uniqueness of allocated values decided by the log's order, as every replica sees it.
   */
  private static Verdict claimsFree(
      ObjectStore state, StoredObject current, Prepared record, long revision) {
    ChangeEnvelope envelope = record.envelope();
    String taken = state.claimHeldElsewhere(record.candidate(), current);
    if (taken != null) {
      return new Verdict.Rejected(
          revision,
          envelope.op(),
          envelope.actor(),
          record.key(),
          Rejection.ALLOCATED,
          Claims.taken(taken),
          current);
    }
    return new Verdict.Applied(
        revision, envelope.op(), envelope.actor(), record.candidate(), current);
  }

  /** The stored form of an object at a revision: resourceVersion stamped, JSON, indexes. */
  static StoredObject stored(ObjectNode object, long revision) {
    // Stamps the revision for serialising, then puts the object back as it was: cheaper than a
    // copy, and the envelope keeps the object exactly as the log holds it.
    ObjectNode metadata = Meta.metadata(object);
    JsonNode previous = metadata.get("resourceVersion");
    metadata.put("resourceVersion", Long.toString(revision));
    byte[] json = Json.bytes(object);
    StoredObject stored = fromJson(object, json, revision);
    if (previous == null) {
      metadata.remove("resourceVersion");
    } else {
      metadata.set("resourceVersion", previous);
    }
    return stored;
  }

  /** The stored form of an object whose JSON already carries its resourceVersion. */
  static StoredObject fromJson(ObjectNode object, byte[] json, long revision) {
    return new StoredObject(
        ResourceKey.of(object),
        revision,
        json,
        Meta.uid(object),
        Meta.labels(object),
        Indexed.fields(object),
        OwnerRef.of(object),
        Claims.of(object));
  }

  private static Verdict reject(
      ChangeEnvelope envelope,
      ResourceKey key,
      Rejection reason,
      StoredObject current,
      long revision) {
    return new Verdict.Rejected(
        revision,
        envelope.op(),
        envelope.actor(),
        key,
        reason,
        rejectionMessage(reason, key),
        current);
  }

  /**
   * The fold's message for a rejection of a change of {@code key}, as upstream words it. An
   * allocation names the value taken, which the key does not tell: its message is the fold's own.
   */
  static String rejectionMessage(Rejection reason, ResourceKey key) {
    return switch (reason) {
      case ALREADY_EXISTS -> describe(key) + " already exists";
      case NOT_FOUND -> describe(key) + " not found";
      case CONFLICT ->
          "Operation cannot be fulfilled on "
              + describe(key)
              + ": the object has been modified; please apply your changes to the latest version"
              + " and try again";
      case ALLOCATED -> describe(key) + " claims a value another object holds";
      case INVALID -> describe(key) + " is invalid";
    };
  }

  private static String describe(ResourceKey key) {
    return key.kind().toLowerCase(Locale.ROOT) + " \"" + key.name() + "\"";
  }
}
