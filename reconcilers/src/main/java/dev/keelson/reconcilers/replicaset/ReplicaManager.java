package dev.keelson.reconcilers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.Rejection;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.EventRecorder;
import dev.keelson.write.DeleteOptions;
import dev.keelson.write.WriteResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Upstream's manageReplicas: creates the missing pods in slow-start batches (1, 2, 4, ... stopping
 * at the first batch with a failure) or deletes the surplus in {@link DeletionOrder}, at most 500 a
 * sync, and records what it expects to see in the {@link Expectations} before it writes.
 */
final class ReplicaManager {

  static final int BURST_REPLICAS = 500;
  static final int SLOW_START_INITIAL_BATCH = 1;

  /**
   * What a sync did: the pods the status counts (the owned ones, less those just deleted), and the
   * error of a create or delete that failed (null when none).
   */
  record Managed(List<JsonNode> pods, Throwable error, boolean creating) {
    static Managed untouched(List<JsonNode> pods) {
      return new Managed(pods, null, false);
    }

    String errorMessage() {
      return error == null ? null : error.getMessage();
    }
  }

  private final ClusterWriter writer;
  private final EventRecorder events;
  private final Expectations<ResourceKey> expectations;
  private final Clock clock;

  ReplicaManager(
      ClusterWriter writer,
      EventRecorder events,
      Expectations<ResourceKey> expectations,
      Clock clock) {
    this.writer = writer;
    this.events = events;
    this.expectations = expectations;
    this.clock = clock;
  }

  CompletableFuture<Managed> manage(
      ResourceKey key, JsonNode rs, List<JsonNode> owned, Supplier<List<JsonNode>> related) {
    int diff = owned.size() - rs.path("spec").path("replicas").asInt(1);
    if (diff < 0) {
      return create(key, rs, Math.min(-diff, BURST_REPLICAS))
          .thenApply(error -> new Managed(owned, error, true));
    }
    if (diff > 0) {
      List<JsonNode> doomed =
          DeletionOrder.podsToDelete(
              owned, related.get(), Math.min(diff, BURST_REPLICAS), clock.instant());
      return delete(key, rs, doomed)
          .thenApply(
              deleted -> {
                List<JsonNode> left = new ArrayList<>();
                for (JsonNode pod : owned) {
                  if (!deleted.uids().contains(Meta.uid(pod))) {
                    left.add(pod);
                  }
                }
                return new Managed(left, deleted.error(), false);
              });
    }
    return CompletableFuture.completedFuture(Managed.untouched(owned));
  }

  /** Creates {@code count} pods; completes with the first error (null when all were created). */
  private CompletableFuture<Throwable> create(ResourceKey key, JsonNode rs, int count) {
    expectations.expectCreations(key, count);
    if (rs.path("spec").path("template").path("metadata").path("labels").isEmpty()) {
      for (int i = 0; i < count; i++) {
        expectations.creationObserved(key);
      }
      return CompletableFuture.completedFuture(
          new IllegalStateException("unable to create pods, no labels"));
    }
    return SlowStart.run(count, SLOW_START_INITIAL_BATCH, () -> createOne(rs))
        .thenApply(
            result -> {
              // Pods never created will never be seen.
              for (int i = result.successes(); i < count; i++) {
                expectations.creationObserved(key);
              }
              return result.error();
            });
  }

  private CompletableFuture<Void> createOne(JsonNode rs) {
    return writer
        .create(PodTemplates.podFor(rs))
        .handle(
            (result, error) -> {
              Throwable cause = unwrap(error);
              if (cause == null && result instanceof WriteResult.Accepted a) {
                events.normal(rs, "SuccessfulCreate", "Created pod: " + a.object().key().name());
                return null;
              }
              String message =
                  cause != null ? cause.getMessage() : ((WriteResult.Rejected) result).message();
              events.warning(rs, "FailedCreate", "Error creating: " + message);
              throw new CompletionException(
                  cause != null ? cause : new IllegalStateException(message));
            });
  }

  private record Deleted(Set<String> uids, Throwable error) {}

  private CompletableFuture<Deleted> delete(ResourceKey key, JsonNode rs, List<JsonNode> pods) {
    List<String> podKeys = pods.stream().map(ReplicaManager::podKey).toList();
    expectations.expectDeletions(key, podKeys);
    Set<String> deleted = new HashSet<>();
    List<Throwable> errors = new ArrayList<>();
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (JsonNode pod : pods) {
      ResourceKey podKey = ResourceKey.of("", "Pod", Meta.namespace(pod), Meta.name(pod));
      calls.add(
          writer
              .delete(podKey, new DeleteOptions(null, null, Meta.uid(pod), null))
              .handle(
                  (result, error) -> {
                    Throwable cause = unwrap(error);
                    synchronized (deleted) {
                      if (cause == null && result instanceof WriteResult.Accepted) {
                        deleted.add(Meta.uid(pod));
                        events.normal(rs, "SuccessfulDelete", "Deleted pod: " + Meta.name(pod));
                        return null;
                      }
                      // This deletion will not be seen: no longer expect it.
                      expectations.deletionObserved(key, podKey(pod));
                      if (cause == null
                          && ((WriteResult.Rejected) result).reason() == Rejection.NOT_FOUND) {
                        deleted.add(Meta.uid(pod));
                        return null;
                      }
                      String message =
                          cause != null
                              ? cause.getMessage()
                              : ((WriteResult.Rejected) result).message();
                      events.warning(rs, "FailedDelete", "Error deleting: " + message);
                      errors.add(cause != null ? cause : new IllegalStateException(message));
                      return null;
                    }
                  }));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(v -> new Deleted(deleted, errors.isEmpty() ? null : errors.get(0)));
  }

  static String podKey(JsonNode pod) {
    return Meta.namespace(pod) + "/" + Meta.name(pod);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
  }
}
