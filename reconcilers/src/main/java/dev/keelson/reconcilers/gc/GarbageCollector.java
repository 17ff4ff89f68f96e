package dev.keelson.reconcilers.gc;

import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.OwnerRef;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.control.Controller;
import dev.keelson.reconcilers.control.Outcome;
import dev.keelson.reconcilers.control.Reconciler;
import dev.keelson.reconcilers.gc.Ownership.OwnerState;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's garbage collector over ownerReferences. Its keys are objects of every kind; a
 * reconcile looks at one object in both of its roles: as an owner being deleted with the {@code
 * orphan} or {@code foregroundDeletion} finalizer (orphan its dependents, or wait until no blocking
 * dependent is left, then drop the finalizer), and as a dependent (collected once no owner is left,
 * or when its owners wait for it in the foreground). Dependents are found through the projection's
 * owner index, so there is no graph to build or to keep in step.
 */
public final class GarbageCollector implements Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  /** Upstream's identity for the collector's writes. */
  public static final String COMPONENT = "generic-garbage-collector";

  /** The collector's primary kind: every kind (a watch or list with no kind covers them all). */
  private static final GroupKind EVERY_KIND = null;

  private final Projection projection;
  private final GcWrites writes;

  /** Owners in foreground deletion whose dependents were queued once already (this term). */
  private final Set<String> nudged = ConcurrentHashMap.newKeySet();

  private volatile Consumer<ResourceKey> enqueue = key -> {};

  GarbageCollector(Projection projection, GcWrites writes) {
    this.projection = projection;
    this.writes = writes;
  }

  public static Controller controller(ControlContext context) {
    GarbageCollector collector =
        new GarbageCollector(context.projection(), new GcWrites(context.writerAs(COMPONENT)));
    Controller controller =
        Controller.builder("garbage-collector", EVERY_KIND, collector)
            .watch(EVERY_KIND, collector::related)
            .concurrency(8)
            .resync(Duration.ofMinutes(30))
            .build();
    collector.enqueue = controller::enqueue;
    return controller;
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    StoredObject object = projection.get(key).orElse(null);
    if (object == null) {
      return done();
    }
    DeletionState state = DeletionState.of(object);
    if (state.deleting()) {
      return asOwner(object, state);
    }
    return object.owners().isEmpty() ? done() : asDependent(object, state);
  }

  /** Orphaning first (it leaves nothing to wait for), then the foreground wait. */
  private CompletionStage<Outcome> asOwner(StoredObject owner, DeletionState state) {
    CompletableFuture<Void> orphaned =
        state.has(DeletionState.ORPHAN)
            ? orphanDependents(owner)
            : CompletableFuture.completedFuture(null);
    return orphaned.thenCompose(
        v -> state.has(DeletionState.FOREGROUND) ? awaitDependents(owner) : done());
  }

  private CompletableFuture<Void> orphanDependents(StoredObject owner) {
    List<StoredObject> dependents = projection.dependents(owner.uid());
    LOG.debug("orphaning {} dependents of {}", dependents.size(), owner.key());
    return writes
        .removeOwner(dependents, owner.uid())
        .thenCompose(v -> writes.removeFinalizer(owner, DeletionState.ORPHAN));
  }

  private CompletionStage<Outcome> awaitDependents(StoredObject owner) {
    List<StoredObject> dependents = projection.dependents(owner.uid());
    if (Ownership.blocking(owner.uid(), dependents, StoredObject::owners).isEmpty()) {
      nudged.remove(owner.uid());
      LOG.debug("{} has no blocking dependents left: it may go", owner.key());
      return writes.removeFinalizer(owner, DeletionState.FOREGROUND).thenApply(v -> Outcome.DONE);
    }
    if (nudged.add(owner.uid())) {
      // Each dependent decides for itself, seeing this owner wait (its deletions bring us back).
      dependents.forEach(d -> enqueue.accept(d.key()));
    }
    return done();
  }

  private CompletionStage<Outcome> asDependent(StoredObject dependent, DeletionState state) {
    Map<String, OwnerState> states = new LinkedHashMap<>();
    for (OwnerRef owner : dependent.owners()) {
      states.put(owner.uid(), stateOf(dependent.key(), owner));
    }
    boolean waited = states.containsValue(OwnerState.WAITING);
    List<StoredObject> ownDependents = waited ? projection.dependents(dependent.uid()) : List.of();
    Ownership.DependentAction action =
        Ownership.forDependent(
            dependent.owners(),
            states,
            state,
            !ownDependents.isEmpty(),
            ownDependents.stream().anyMatch(d -> DeletionState.of(d).deletingDependents()));
    if (action instanceof Ownership.RemoveOwners remove) {
      LOG.debug("{}: removing references to owners {}", dependent.key(), remove.uids());
      return writes.removeOwners(dependent, remove.uids()).thenApply(v -> Outcome.DONE);
    }
    if (action instanceof Ownership.Delete delete) {
      LOG.debug("{}: collecting it ({}), owners {}", dependent.key(), delete.policy(), states);
      return writes
          .delete(dependent, delete.policy(), delete.unblockFirst())
          .thenApply(v -> Outcome.DONE);
    }
    return done();
  }

  /** Where an owner reference points, looked up by name and checked by uid. */
  private OwnerState stateOf(ResourceKey dependent, OwnerRef ref) {
    Optional<StoredObject> owner = find(dependent, ref);
    if (owner.isPresent() && owner.get().uid().equals(ref.uid())) {
      return DeletionState.of(owner.get()).deletingDependents()
          ? OwnerState.WAITING
          : OwnerState.SOLID;
    }
    if (dependent.clusterScoped() && namespacedKind(ref)) {
      return OwnerState.INVALID;
    }
    return OwnerState.DANGLING;
  }

  /** The owner in the dependent's namespace, else cluster-scoped (a Node, a Namespace, ...). */
  private Optional<StoredObject> find(ResourceKey dependent, OwnerRef ref) {
    if (!dependent.clusterScoped()) {
      Optional<StoredObject> namespaced =
          projection.get(
              ResourceKey.of(ref.group(), ref.kind(), dependent.namespace(), ref.name()));
      if (namespaced.isPresent()) {
        return namespaced;
      }
    }
    return projection.get(ResourceKey.of(ref.group(), ref.kind(), "", ref.name()));
  }

  /** Whether objects of the owner's kind live in namespaces (rarely asked: see stateOf). */
  private boolean namespacedKind(OwnerRef ref) {
    return projection.list(ListQuery.all(new GroupKind(ref.group(), ref.kind()))).items().stream()
        .anyMatch(o -> !o.key().clusterScoped());
  }

  /**
   * The other keys a change concerns: the dependents of an object that went (their owner is gone),
   * and the owners of a dependent that went or dropped them (an owner may be waiting for it).
   */
  Collection<ResourceKey> related(WatchEvent event) {
    StoredObject object = event.object();
    Set<ResourceKey> keys = new LinkedHashSet<>();
    if (event.type() == WatchEvent.Type.DELETED) {
      nudged.remove(object.uid());
      projection.dependents(object.uid()).forEach(d -> keys.add(d.key()));
      addOwners(keys, object.key(), object.owners());
    } else if (event.previous() != null && !event.previous().owners().equals(object.owners())) {
      addOwners(keys, object.key(), event.previous().owners());
    }
    return keys;
  }

  private void addOwners(Set<ResourceKey> keys, ResourceKey dependent, List<OwnerRef> owners) {
    for (OwnerRef ref : owners) {
      find(dependent, ref).filter(o -> o.uid().equals(ref.uid())).ifPresent(o -> keys.add(o.key()));
    }
  }

  private static CompletionStage<Outcome> done() {
    return CompletableFuture.completedFuture(Outcome.DONE);
  }
}
