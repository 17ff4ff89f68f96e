package dev.keelson.reconcilers.gc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.StoredObject;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.write.DeleteOptions;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteRefusedException;
import dev.keelson.write.WriteResult;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * The garbage collector's writes. Each applies to the object it was decided for (same uid) and
 * counts as done when there is nothing left to do: the object is gone, was replaced, or no longer
 * has what was to be removed.
 */
final class GcWrites {

  /** Why a change was not made: it was not needed (any more). */
  private static final Object UNCHANGED = new Object();

  private final ClusterWriter writer;

  GcWrites(ClusterWriter writer) {
    this.writer = writer;
  }

  /** Removes the reference to {@code ownerUid} from every dependent. */
  CompletableFuture<Void> removeOwner(List<StoredObject> dependents, String ownerUid) {
    return CompletableFuture.allOf(
        dependents.stream()
            .map(d -> removeOwners(d, Set.of(ownerUid)))
            .toArray(CompletableFuture[]::new));
  }

  CompletableFuture<Void> removeOwners(StoredObject dependent, Set<String> ownerUids) {
    return edit(dependent, o -> OwnerEdits.removeOwners(o, ownerUids));
  }

  CompletableFuture<Void> removeFinalizer(StoredObject object, String finalizer) {
    return edit(object, o -> OwnerEdits.removeFinalizer(o, finalizer));
  }

  /** Deletes with {@code policy}; with {@code unblockFirst}, after unblocking its owners. */
  CompletableFuture<Void> delete(StoredObject object, String policy, boolean unblockFirst) {
    CompletableFuture<Void> unblocked =
        unblockFirst
            ? edit(object, OwnerEdits::unblockOwners)
            : CompletableFuture.completedFuture(null);
    return unblocked.thenCompose(
        v ->
            settle(
                writer.delete(object.key(), new DeleteOptions(null, policy, object.uid(), null))));
  }

  private CompletableFuture<Void> edit(StoredObject object, Predicate<ObjectNode> change) {
    return settle(
        writer.modify(
            object.key(),
            null,
            WritePath.Part.MAIN,
            current -> {
              if (!object.uid().equals(Meta.uid(current)) || !change.test(current)) {
                throw new WriteRefusedException(UNCHANGED, "nothing to change");
              }
              return current;
            }));
  }

  /** Done, unless the write failed for a reason other than there being nothing to do. */
  private static CompletableFuture<Void> settle(CompletableFuture<WriteResult> write) {
    return write.handle(
        (result, error) -> {
          if (error != null) {
            Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
            if (cause instanceof WriteRefusedException refused
                && (refused.reason() == UNCHANGED || refused.reason() == Rejection.CONFLICT)) {
              return null; // not needed, or the object was replaced (its uid precondition failed)
            }
            throw error instanceof CompletionException c ? c : new CompletionException(error);
          }
          if (result instanceof WriteResult.Rejected r && r.reason() != Rejection.NOT_FOUND) {
            throw new CompletionException(
                new IllegalStateException("write refused (" + r.reason() + "): " + r.message()));
          }
          return null;
        });
  }
}
