package dev.keelson.apiserver.http;

import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.eventlog.ChangeLog;
import dev.keelson.eventlog.LogRecord;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/** A change log that counts the records read through it: how a test sees that nothing scans. */
final class CountingChangeLog implements ChangeLog {

  private final ChangeLog log;
  final AtomicLong pointReads = new AtomicLong();
  final AtomicLong scannedRecords = new AtomicLong();

  CountingChangeLog(ChangeLog log) {
    this.log = log;
  }

  void reset() {
    pointReads.set(0);
    scannedRecords.set(0);
  }

  @Override
  public CompletableFuture<Long> append(ChangeEnvelope envelope) {
    return log.append(envelope);
  }

  @Override
  public Flux<List<LogRecord>> readBatches(long fromOffset, long toOffset) {
    return log.readBatches(fromOffset, toOffset).doOnNext(b -> scannedRecords.addAndGet(b.size()));
  }

  @Override
  public CompletableFuture<List<LogRecord>> readRecords(long[] offsets) {
    return log.readRecords(offsets)
        .thenApply(
            records -> {
              pointReads.addAndGet(records.size());
              return records;
            });
  }

  @Override
  public CompletableFuture<Long> endOffset() {
    return log.endOffset();
  }

  @Override
  public CompletableFuture<Long> offsetForTime(Instant time) {
    return log.offsetForTime(time);
  }

  @Override
  public String logId() {
    return log.logId();
  }

  @Override
  public void close() {
    log.close();
  }
}
