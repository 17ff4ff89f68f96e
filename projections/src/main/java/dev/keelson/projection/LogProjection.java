package dev.keelson.projection;

import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.eventlog.ChangeLog;
import dev.keelson.eventlog.LogRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * A {@link Projection} that follows a {@link ChangeLog}. One reader thread applies the records;
 * readers of the state take a read lock, so that a list sees one revision. The most recent verdicts
 * stay in memory, in a ring indexed by offset, for writers awaiting their verdict and for watches
 * starting a little in the past; older watches re-read the log.
 */
public final class LogProjection implements Projection {

  private static final Logger LOG = LoggerFactory.getLogger(LogProjection.class);
  private static final int CHUNK = 512;

  private final ChangeLog log;
  private final ProjectionOptions options;
  private final SnapshotStore snapshots;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final ObjectStore state;
  private final Verdict[] ring;
  private long ringStart;
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final ConcurrentSkipListMap<Long, CompletableFuture<Long>> waiters =
      new ConcurrentSkipListMap<>();
  private final ExecutorService notifier;
  private final Scheduler applier = Schedulers.newSingle("keelson-projection-applier", true);
  private final Scheduler preparers = Schedulers.newParallel("keelson-projection-prepare", 2, true);
  private volatile long revision;
  private volatile boolean closed;
  private long lastSnapshot;
  private Disposable subscription;

  private LogProjection(ChangeLog log, ProjectionOptions options, ObjectStore state) {
    this.log = log;
    this.options = options;
    this.snapshots =
        options.snapshotDir() == null ? null : new SnapshotStore(options.snapshotDir());
    this.state = state;
    this.revision = state.revision();
    this.lastSnapshot = state.revision();
    this.ring = new Verdict[Math.max(16, options.memoryRecords())];
    this.ringStart = state.revision();
    this.notifier =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "keelson-projection-notifier");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts a projection of {@code log}: from the newest usable snapshot if there is one, else from
   * the first record, then following the log.
   */
  public static LogProjection start(ChangeLog log, ProjectionOptions options) {
    boolean history = options.history();
    ObjectStore initial = history ? new ObjectStore(0) : ObjectStore.withoutHistory(0);
    if (options.snapshotDir() != null) {
      long end = log.endOffset().join();
      Optional<ObjectStore> snapshot =
          new SnapshotStore(options.snapshotDir()).latest(log.logId(), end, history);
      if (snapshot.isPresent()) {
        initial = snapshot.get();
        LOG.info(
            "projection starts from a snapshot at revision {} ({} objects), log end {}",
            initial.revision(),
            initial.size(),
            end);
      }
    }
    LogProjection projection = new LogProjection(log, options, initial);
    projection.follow();
    return projection;
  }

  private void follow() {
    // Three stages: the reader thread fetches batches, two preparer threads decode and serialise
    // them (the costly part) while keeping their order, the applier thread folds them in order.
    subscription =
        Flux.defer(() -> log.readBatches(revision, Long.MAX_VALUE))
            .flatMapSequential(
                batch -> Mono.fromCallable(() -> prepare(batch)).subscribeOn(preparers), 2, 2)
            .retryWhen(
                Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
                    .maxBackoff(Duration.ofSeconds(5))
                    .filter(e -> !closed)
                    .doBeforeRetry(
                        s ->
                            LOG.warn(
                                "reading the change log failed, retrying: {}",
                                s.failure().toString())))
            .publishOn(applier, 4)
            .subscribe(this::applyBatch, e -> LOG.error("projection stopped", e));
  }

  private static List<ChangeFold.Prepared> prepare(List<LogRecord> batch) {
    List<ChangeFold.Prepared> prepared = new ArrayList<>(batch.size());
    for (LogRecord record : batch) {
      prepared.add(ChangeFold.prepare(record));
    }
    return prepared;
  }

  private void applyBatch(List<ChangeFold.Prepared> batch) {
    for (int from = 0; from < batch.size() && !closed; from += CHUNK) {
      List<ChangeFold.Prepared> chunk = batch.subList(from, Math.min(batch.size(), from + CHUNK));
      lock.writeLock().lock();
      try {
        for (ChangeFold.Prepared record : chunk) {
          if (record.offset() != state.revision()) {
            // Re-delivered after a retry: already applied.
            continue;
          }
          Verdict verdict = ChangeFold.apply(state, record, options.lastWriterWins());
          remember(record.offset(), verdict);
          if (verdict instanceof Verdict.Skipped skipped) {
            LOG.warn("skipped record at offset {}: {}", record.offset(), skipped.problem());
          } else if (verdict instanceof Verdict.Applied applied && !watchers.isEmpty()) {
            dispatch(WatchEvent.of(applied));
          }
        }
        revision = state.revision();
      } finally {
        lock.writeLock().unlock();
      }
      notifyWaiters();
    }
    if (snapshots != null
        && !closed
        && state.revision() - lastSnapshot >= options.snapshotEvery()) {
      writeSnapshot();
    }
  }

  private void remember(long offset, Verdict verdict) {
    ring[(int) (offset % ring.length)] = verdict;
    if (offset - ringStart >= ring.length) {
      ringStart = offset - ring.length + 1;
    }
  }

  private void dispatch(WatchEvent event) {
    // Iterates over a copy: a watcher may end, and remove itself, while it is offered an event.
    List<Watcher> ended = null;
    for (Watcher watcher : watchers) {
      boolean open;
      try {
        open = watcher.offer(event);
      } catch (RuntimeException e) {
        LOG.warn("ending a watch that failed on an event: {}", e.toString());
        open = false;
      }
      if (!open) {
        ended = ended == null ? new ArrayList<>() : ended;
        ended.add(watcher);
      }
    }
    if (ended != null) {
      watchers.removeAll(ended);
    }
  }

  private void notifyWaiters() {
    long applied = revision;
    ConcurrentNavigableMap<Long, CompletableFuture<Long>> due = waiters.headMap(applied, true);
    if (due.isEmpty()) {
      return;
    }
    List<CompletableFuture<Long>> ready = new ArrayList<>(due.values());
    due.clear();
    notifier.execute(() -> ready.forEach(f -> f.complete(applied)));
  }

  @Override
  public long revision() {
    return revision;
  }

  @Override
  public CompletableFuture<Long> awaitRevision(long wanted) {
    long now = revision;
    if (now >= wanted) {
      return CompletableFuture.completedFuture(now);
    }
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("projection closed"));
    }
    CompletableFuture<Long> future =
        waiters.computeIfAbsent(wanted, r -> new CompletableFuture<>());
    now = revision;
    if (now >= wanted) {
      waiters.remove(wanted, future);
      future.complete(now);
    }
    return future;
  }

  @Override
  public CompletableFuture<Verdict> verdict(long offset) {
    return awaitRevision(offset + 1).thenApply(r -> verdictInMemory(offset));
  }

  private Verdict verdictInMemory(long offset) {
    lock.readLock().lock();
    try {
      if (offset < ringStart || offset >= state.revision()) {
        throw new IllegalStateException(
            "the verdict of offset " + offset + " is no longer in memory");
      }
      return ring[(int) (offset % ring.length)];
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<StoredObject> get(ResourceKey key) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(state.get(key));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public ListResult list(ListQuery query) {
    lock.readLock().lock();
    try {
      return new ListResult(state.list(query), state.revision());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public ListResult all() {
    lock.readLock().lock();
    try {
      return new ListResult(state.all(), state.revision());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<StoredObject> dependents(String ownerUid) {
    lock.readLock().lock();
    try {
      return state.dependents(ownerUid);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<ResourceKey> claimant(String claim) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(state.claimant(claim));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public IndexedChange.Page history(HistoryQuery query) {
    lock.readLock().lock();
    try {
      HistoryIndex index = state.history();
      if (index == null) {
        throw new UnsupportedOperationException("this projection keeps no history index");
      }
      return index.query(query);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The size of the history index: keys, records indexed and uids. */
  public HistorySize historySize() {
    lock.readLock().lock();
    try {
      HistoryIndex index = state.history();
      return index == null
          ? new HistorySize(0, 0, 0)
          : new HistorySize(index.keys(), index.entries(), index.uids());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How much the history index holds. */
  public record HistorySize(long keys, long records, long uids) {}

  @Override
  public boolean lastWriterWins() {
    return options.lastWriterWins();
  }

  @Override
  public Flux<WatchEvent> watch(GroupKind kind, String namespace, long fromRevision) {
    return Flux.defer(
        () -> {
          lock.writeLock().lock();
          try {
            if (fromRevision >= ringStart) {
              List<WatchEvent> backlog = new ArrayList<>();
              for (long offset = fromRevision; offset < state.revision(); offset++) {
                if (ring[(int) (offset % ring.length)] instanceof Verdict.Applied applied
                    && matches(applied.object(), kind, namespace)) {
                  backlog.add(WatchEvent.of(applied));
                }
              }
              Watcher watcher = new Watcher(kind, namespace, fromRevision, options.watchBuffer());
              watchers.add(watcher);
              return Flux.fromIterable(backlog).concatWith(watcher.events(this::removeWatcher));
            }
          } finally {
            lock.writeLock().unlock();
          }
          return replayWatch(kind, namespace, fromRevision);
        });
  }

  /** A watch from a revision no longer in memory: fold the log again up to now, then go live. */
  private Flux<WatchEvent> replayWatch(GroupKind kind, String namespace, long fromRevision) {
    return Flux.defer(
        () -> {
          ObjectStore replay = null;
          if (snapshots != null) {
            replay = snapshots.latest(log.logId(), fromRevision, false).orElse(null);
          }
          ObjectStore folded = replay == null ? ObjectStore.withoutHistory(0) : replay;
          long target = revision;
          LOG.debug(
              "watch from revision {} re-reads the log from {} to {}",
              fromRevision,
              folded.revision(),
              target);
          return log.readBatches(folded.revision(), target)
              .concatMapIterable(
                  batch -> {
                    List<WatchEvent> events = new ArrayList<>();
                    for (LogRecord record : batch) {
                      Verdict verdict =
                          ChangeFold.apply(
                              folded, ChangeFold.prepare(record), options.lastWriterWins());
                      if (record.offset() >= fromRevision
                          && verdict instanceof Verdict.Applied applied
                          && matches(applied.object(), kind, namespace)) {
                        events.add(WatchEvent.of(applied));
                      }
                    }
                    return events;
                  })
              .concatWith(watch(kind, namespace, Math.max(fromRevision, target)));
        });
  }

  private void removeWatcher(Watcher watcher) {
    lock.writeLock().lock();
    try {
      watchers.remove(watcher);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Whether a watch of {@code kind} (every kind when null) in {@code namespace} sees the object.
   */
  static boolean matches(StoredObject object, GroupKind kind, String namespace) {
    return (kind == null
            || object.key().group().equals(kind.group()) && object.key().kind().equals(kind.kind()))
        && (namespace == null || namespace.equals(object.key().namespace()));
  }

  @Override
  public CompletableFuture<Boolean> caughtUp() {
    long applied = revision;
    return log.endOffset().thenApply(end -> applied >= end);
  }

  @Override
  public long skippedRecords() {
    lock.readLock().lock();
    try {
      return state.skipped();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void snapshotNow() {
    lock.writeLock().lock();
    try {
      writeSnapshot();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Called on the reader thread, or with the write lock held. */
  private void writeSnapshot() {
    if (snapshots == null) {
      return;
    }
    try {
      long started = System.nanoTime();
      snapshots.write(log.logId(), state);
      lastSnapshot = state.revision();
      LOG.info(
          "wrote a snapshot at revision {} ({} objects) in {} ms",
          lastSnapshot,
          state.size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (IOException e) {
      LOG.warn("cannot write a snapshot: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (subscription != null) {
      subscription.dispose();
    }
    lock.writeLock().lock();
    try {
      if (snapshots != null && state.revision() > lastSnapshot) {
        writeSnapshot();
      }
      watchers.forEach(Watcher::complete);
      watchers.clear();
    } finally {
      lock.writeLock().unlock();
    }
    applier.dispose();
    preparers.dispose();
    IllegalStateException stopped = new IllegalStateException("projection closed");
    waiters.values().forEach(f -> f.completeExceptionally(stopped));
    waiters.clear();
    notifier.shutdown();
  }
}
