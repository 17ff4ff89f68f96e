package dev.keelson.projection;

import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Flux;

/**
 * The current state of the cluster, folded from the change log: the objects, indexes to find them,
 * the verdict of every record, and watches of changes from any revision the log holds.
 *
 * <p>The state changes only by applying records, in offset order. The revision of the projection is
 * the offset of the next record it will apply, so an object written at offset {@code o} has
 * resourceVersion {@code o + 1} and is visible once {@code revision() >= o + 1}. Thread-safe.
 */
public interface Projection extends AutoCloseable {

  /** The revision up to which the log has been applied. */
  long revision();

  /** Completes (with the projection's revision) once it has applied at least {@code revision}. */
  CompletableFuture<Long> awaitRevision(long revision);

  /** Completes with the verdict of the record at {@code offset} once it has been applied. */
  CompletableFuture<Verdict> verdict(long offset);

  Optional<StoredObject> get(ResourceKey key);

  /** The objects a query selects, in namespace/name order, as of one revision. */
  ListResult list(ListQuery query);

  /** Every object, in key order, as of one revision. */
  ListResult all();

  /**
   * The objects, of any kind, whose {@code metadata.ownerReferences} name {@code ownerUid}, in key
   * order: the dependents of that owner, whether it still exists or not.
   */
  List<StoredObject> dependents(String ownerUid);

  /**
   * The object that holds {@code claim}, a value no two objects may hold at once (a Service's
   * cluster IP, node port or proxy port: see {@link Claims} for the names), if one does. The fold
   * refuses, with {@link Rejection#ALLOCATED}, a change that would take a claim another object
   * holds; a claim is free again once its holder drops it or is deleted. Admission picks free
   * values with it.
   */
  Optional<ResourceKey> claimant(String claim);

  /**
   * The records of the log a history query selects, oldest first, one page, as of the projection's
   * revision: from the history index the fold keeps (every applied or rejected record, by key and
   * by uid), without reading the log. The records themselves are the log's.
   *
   * @throws UnsupportedOperationException for a projection that keeps no history index (see {@link
   *     ProjectionOptions#history()})
   */
  IndexedChange.Page history(HistoryQuery query);

  /**
   * Whether this projection folds every change without its precondition (a compacted topic of
   * heartbeats): then writers must check preconditions themselves, and append nothing that would
   * not hold.
   */
  default boolean lastWriterWins() {
    return false;
  }

  /**
   * The changes of objects of {@code kind} (of every kind when null) (in {@code namespace}, or all
   * when null) after {@code fromRevision}, then live. Served from memory while the projection holds
   * that revision, else by reading the log again. A watcher that falls too far behind is ended with
   * {@link WatchTooSlowException}, and may watch again from the last revision it saw.
   */
  Flux<WatchEvent> watch(GroupKind kind, String namespace, long fromRevision);

  /** Whether the projection has applied every record the log holds now. */
  CompletableFuture<Boolean> caughtUp();

  /** How many records could not be read and were skipped. */
  long skippedRecords();

  /** Writes a snapshot of the current state now (when snapshots are configured). */
  void snapshotNow();

  @Override
  void close();
}
