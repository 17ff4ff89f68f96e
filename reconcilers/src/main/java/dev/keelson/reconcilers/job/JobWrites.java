package dev.keelson.reconcilers.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.StoredObject;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.EventRecorder;
import dev.keelson.write.DeleteOptions;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteRefusedException;
import dev.keelson.write.WriteResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Job controller's writes: pods deleted and created (in upstream's slow-start batches of 1, 2,
 * 4 ..., stopping at the first failure), with their events and expectations, and the Job's status.
 */
final class JobWrites {

  /** Upstream's SlowStartInitialBatchSize. */
  static final int FIRST_BATCH = 1;

  private static final Object UNCHANGED = new Object();

  private final ClusterWriter writer;
  private final EventRecorder events;
  private final Expectations expectations;

  JobWrites(ClusterWriter writer, EventRecorder events, Expectations expectations) {
    this.writer = writer;
    this.events = events;
    this.expectations = expectations;
  }

  EventRecorder events() {
    return events;
  }

  /** How many of the asked pods were created, and the failure that stopped the rest, if any. */
  record Created(int count, Throwable failure) {}

  CompletableFuture<Void> delete(ResourceKey jobKey, ObjectNode job, List<JobPod> pods) {
    return CompletableFuture.allOf(
        pods.stream()
            .map(
                pod ->
                    deleteOne(pod)
                        .handle(
                            (result, error) -> {
                              if (result instanceof WriteResult.Accepted) {
                                events.normal(
                                    job, "SuccessfulDelete", "Deleted pod: " + pod.key().name());
                                return null;
                              }
                              if (result != null || surelyFailed(error)) {
                                // Gone already, or refused: no deletion of it will be seen.
                                expectations.deletionObserved(jobKey);
                                return null;
                              }
                              throw new CompletionException(cause(error));
                            }))
            .toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<WriteResult> deleteOne(JobPod pod) {
    try {
      return writer.delete(pod.key(), new DeleteOptions(null, null, pod.uid(), null));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new WriteRefusedException(e, e.getMessage()));
    }
  }

  /**
   * Creates {@code count} pods; in an Indexed Job, {@code indexes} are theirs (else it is empty).
   */
  CompletableFuture<Created> create(
      ResourceKey jobKey, ObjectNode job, int count, List<Integer> indexes) {
    List<Integer> pods = indexes.isEmpty() ? java.util.Collections.nCopies(count, null) : indexes;
    return batch(jobKey, job, pods, FIRST_BATCH, 0);
  }

  private CompletableFuture<Created> batch(
      ResourceKey jobKey, ObjectNode job, List<Integer> pods, int size, int createdSoFar) {
    int remaining = pods.size();
    if (remaining <= 0) {
      return CompletableFuture.completedFuture(new Created(createdSoFar, null));
    }
    int now = Math.min(size, remaining);
    @SuppressWarnings("unchecked")
    CompletableFuture<Throwable>[] batch = new CompletableFuture[now];
    for (int i = 0; i < now; i++) {
      batch[i] = createOne(jobKey, job, pods.get(i));
    }
    return CompletableFuture.allOf(batch)
        .thenCompose(
            v -> {
              Throwable failure = null;
              int created = createdSoFar;
              for (CompletableFuture<Throwable> f : batch) {
                Throwable t = f.join();
                if (t == null) {
                  created++;
                } else if (failure == null) {
                  failure = t;
                }
              }
              if (failure != null) {
                // The pods not tried will not be seen either.
                for (int i = now; i < remaining; i++) {
                  expectations.creationObserved(jobKey);
                }
                return CompletableFuture.completedFuture(new Created(created, failure));
              }
              return batch(jobKey, job, pods.subList(now, remaining), size * 2, created);
            });
  }

  /** Creates one pod; completes with null, or with why it was not created. */
  private CompletableFuture<Throwable> createOne(
      ResourceKey jobKey, ObjectNode job, Integer index) {
    CompletableFuture<WriteResult> write;
    try {
      write = writer.create(JobPods.fromTemplate(job, index));
    } catch (RuntimeException e) { // refused before anything was written
      notCreated(jobKey, job, e.getMessage());
      return CompletableFuture.completedFuture(e);
    }
    return write.handle(
        (result, error) -> {
          if (result instanceof WriteResult.Accepted accepted) {
            events.normal(
                job, "SuccessfulCreate", "Created pod: " + accepted.object().key().name());
            return null;
          }
          String message =
              result instanceof WriteResult.Rejected r ? r.message() : cause(error).getMessage();
          if (result != null || surelyFailed(error)) {
            notCreated(jobKey, job, message);
            return new IllegalStateException(message);
          }
          // Its fate is unknown: it stays expected, until it shows up or the expectation expires.
          return cause(error);
        });
  }

  private void notCreated(ResourceKey jobKey, ObjectNode job, String message) {
    expectations.creationObserved(jobKey);
    events.warning(job, "FailedCreate", "Error creating: " + message);
  }

  /** Writes the status the sync decided, unless it is what the Job has already. */
  CompletableFuture<Void> status(StoredObject job, JobPlan plan, int active, String now) {
    return writer
        .modify(
            job.key(),
            null,
            WritePath.Part.STATUS,
            current -> {
              ObjectNode before = current.deepCopy();
              JobStatus.apply(current, plan, active, now);
              if (!job.uid().equals(Meta.uid(current)) || current.equals(before)) {
                throw new WriteRefusedException(UNCHANGED, "status unchanged");
              }
              return current;
            })
        .handle(
            (result, error) -> {
              if (error != null
                  && !(cause(error) instanceof WriteRefusedException w
                      && w.reason() == UNCHANGED)) {
                throw new CompletionException(cause(error));
              }
              if (result instanceof WriteResult.Rejected r && r.reason() != Rejection.NOT_FOUND) {
                throw new IllegalStateException("status refused: " + r.message());
              }
              return null;
            });
  }

  /** A refusal (by admission, or a precondition) means the write was surely not made. */
  private static boolean surelyFailed(Throwable error) {
    return cause(error) instanceof WriteRefusedException;
  }

  private static Throwable cause(Throwable error) {
    return error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
  }
}
