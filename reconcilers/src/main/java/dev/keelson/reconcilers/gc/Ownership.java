package dev.keelson.reconcilers.gc;

import dev.keelson.projection.OwnerRef;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The garbage collector's decisions, as upstream's makes them, as plain functions of what the
 * projection holds: what becomes of a dependent given the state of its owners, and when an owner
 * being deleted in the foreground may go.
 */
final class Ownership {

  private Ownership() {}

  /** What an owner reference points at. */
  enum OwnerState {
    /** The owner exists and is not waiting for its dependents (it may be going otherwise). */
    SOLID,
    /** No such owner: nothing of that name, or a namesake with another uid. */
    DANGLING,
    /** The owner is being deleted in the foreground, and waits for its dependents to go. */
    WAITING,
    /** A cluster-scoped object naming a namespaced owner: invalid, and never acted upon. */
    INVALID
  }

  /** What to do with a dependent. */
  sealed interface DependentAction {}

  /** Leave it: it has a solid owner and no reference to remove, or nothing is known for sure. */
  record Keep() implements DependentAction {}

  /** It has a solid owner: drop its references to owners that are gone or waiting. */
  record RemoveOwners(Set<String> uids) implements DependentAction {}

  /**
   * Collect it with {@code policy}; with {@code unblockFirst}, make its own owner references
   * non-blocking before (one of its dependents waits on it in the foreground too: a possible
   * cycle).
   */
  record Delete(String policy, boolean unblockFirst) implements DependentAction {}

  /**
   * Upstream's attemptToDeleteItem for an object that is not being deleted.
   *
   * @param states the state of each owner, by uid
   * @param hasDependents whether anything names the object as its owner
   * @param dependentDeletingDependents whether one of those is itself deleting in the foreground
   */
  static DependentAction forDependent(
      List<OwnerRef> owners,
      Map<String, OwnerState> states,
      DeletionState own,
      boolean hasDependents,
      boolean dependentDeletingDependents) {
    if (owners.isEmpty()) {
      return new Keep();
    }
    Set<String> gone = new LinkedHashSet<>();
    boolean solid = false;
    boolean waiting = false;
    for (OwnerRef owner : owners) {
      OwnerState state = states.getOrDefault(owner.uid(), OwnerState.SOLID);
      switch (state) {
        case SOLID -> solid = true;
        case DANGLING -> gone.add(owner.uid());
        case WAITING -> {
          waiting = true;
          gone.add(owner.uid());
        }
        case INVALID -> {
          return new Keep();
        }
      }
    }
    if (solid) {
      // References to waiting owners go too, or those owners would wait for this one forever.
      return gone.isEmpty() ? new Keep() : new RemoveOwners(gone);
    }
    if (waiting && hasDependents) {
      return new Delete("Foreground", dependentDeletingDependents);
    }
    String policy =
        own.has(DeletionState.ORPHAN)
            ? "Orphan"
            : own.has(DeletionState.FOREGROUND) ? "Foreground" : "Background";
    return new Delete(policy, false);
  }

  /** The dependents whose reference to {@code ownerUid} blocks that owner's deletion. */
  static <T> List<T> blocking(String ownerUid, List<T> dependents, Owned<T> owners) {
    return dependents.stream()
        .filter(
            d ->
                owners.of(d).stream()
                    .anyMatch(o -> o.uid().equals(ownerUid) && o.blockOwnerDeletion()))
        .toList();
  }

  /** How to read the owner references of a dependent. */
  @FunctionalInterface
  interface Owned<T> {
    List<OwnerRef> of(T dependent);
  }
}
