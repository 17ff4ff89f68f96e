package dev.keelson.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.eventlog.EnvelopeCodec;
import dev.keelson.eventlog.LogRecord;
import java.util.List;

/** Records of a log kept in a list, for folding without a broker. */
final class TestRecords {

  private TestRecords() {}

  /** Appends a change (no actor, request id or time) to {@code log} and returns its record. */
  static LogRecord append(
      List<LogRecord> log, Op op, Precondition precondition, ObjectNode object) {
    ChangeEnvelope envelope = new ChangeEnvelope(op, precondition, object, null, null, null);
    LogRecord record =
        new LogRecord(log.size(), envelope.key().toString(), EnvelopeCodec.encode(envelope), 0);
    log.add(record);
    return record;
  }
}
