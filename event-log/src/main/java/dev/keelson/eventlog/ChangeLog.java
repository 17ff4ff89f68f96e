package dev.keelson.eventlog;

import dev.keelson.api.change.ChangeEnvelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Flux;

/**
 * The change log: Keelson's only database. An append-only, totally ordered sequence of {@link
 * ChangeEnvelope}s; the offset of a record is its place in that order, and offset + 1 is the
 * revision (resourceVersion) of the state it produced.
 *
 * <p>Implementations are thread-safe. Appends are durable when their future completes (acks from
 * every in-sync replica) and are never duplicated by a retry.
 */
public interface ChangeLog extends AutoCloseable {

  /** Appends one change; completes with the offset the log gave it. */
  CompletableFuture<Long> append(ChangeEnvelope envelope);

  /**
   * The records from {@code fromOffset} (inclusive) to {@code toOffset} (exclusive), in offset
   * order, in the batches the log delivers them. With {@code toOffset == Long.MAX_VALUE} the flux
   * follows the log forever. Each subscription reads on its own connection; cancelling it frees
   * that connection.
   */
  Flux<List<LogRecord>> readBatches(long fromOffset, long toOffset);

  /** The records from {@code fromOffset} on, following the log forever. */
  default Flux<LogRecord> read(long fromOffset) {
    return readBatches(fromOffset, Long.MAX_VALUE).flatMapIterable(batch -> batch);
  }

  /**
   * The records at {@code offsets} (ascending, each below the end offset), in offset order: how a
   * reader that knows where its records are (the history index) reads them instead of scanning the
   * log. Close offsets are read in one go. An offset the log does not hold is left out.
   */
  default CompletableFuture<List<LogRecord>> readRecords(long[] offsets) {
    List<long[]> runs = new ArrayList<>();
    for (int i = 0; i < offsets.length; ) {
      int j = i + 1;
      while (j < offsets.length && offsets[j] == offsets[j - 1] + 1) {
        j++;
      }
      runs.add(new long[] {offsets[i], offsets[j - 1] + 1});
      i = j;
    }
    return Flux.fromIterable(runs)
        .concatMap(run -> readBatches(run[0], run[1]))
        .flatMapIterable(batch -> batch)
        .collectList()
        .toFuture();
  }

  /** The offset the next append will get: the number of records the log has ever held. */
  CompletableFuture<Long> endOffset();

  /** The offset of the first record at or after {@code time}, or the end offset if none. */
  CompletableFuture<Long> offsetForTime(Instant time);

  /**
   * An identity of this log that changes when the log is replaced (a topic deleted and created
   * again), so that caches such as snapshots can tell they belong to another history.
   */
  String logId();

  @Override
  void close();
}
