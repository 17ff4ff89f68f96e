package dev.keelson.projection;

import dev.keelson.eventlog.ChangeLog;
import java.util.concurrent.CompletableFuture;

/**
 * Linearizable reads: {@link #sync()} completes once the projection has applied every record the
 * log held when it was called, so a read after it sees every write acknowledged before it.
 *
 * <p>Cheap under load: one end-offset lookup serves every caller that arrived before it started. A
 * caller that arrives while a lookup is in flight waits for the next one (the one in flight may
 * have been answered before that caller's preceding writes), and at most one lookup is in flight.
 */
public final class ReadBarrier {

  private final ChangeLog log;
  private final Projection projection;
  private CompletableFuture<Long> next;
  private boolean inFlight;
  private long lookups;

  public ReadBarrier(ChangeLog log, Projection projection) {
    this.log = log;
    this.projection = projection;
  }

  /** Completes with the projection's revision once it has caught up with the log end as of now. */
  public CompletableFuture<Long> sync() {
    CompletableFuture<Long> end;
    synchronized (this) {
      if (next == null) {
        next = new CompletableFuture<>();
      }
      end = next;
      if (!inFlight) {
        startLookup();
      }
    }
    return end.thenCompose(projection::awaitRevision);
  }

  /** How many end-offset lookups have been made, for tests and metrics. */
  public synchronized long lookups() {
    return lookups;
  }

  private void startLookup() {
    CompletableFuture<Long> batch = next;
    next = null;
    inFlight = true;
    lookups++;
    log.endOffset()
        .whenComplete(
            (end, error) -> {
              if (error != null) {
                batch.completeExceptionally(error);
              } else {
                batch.complete(end);
              }
              synchronized (this) {
                inFlight = false;
                if (next != null) {
                  startLookup();
                }
              }
            });
  }
}
