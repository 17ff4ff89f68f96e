package dev.keelson.reconcilers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.selector.LabelSelector;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.Controller;
import dev.keelson.reconcilers.control.EventRecorder;
import dev.keelson.reconcilers.control.Outcome;
import dev.keelson.reconcilers.control.Reconciler;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteRefusedException;
import dev.keelson.write.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Keeps the number of active pods of each ReplicaSet at its {@code spec.replicas}, as upstream's
 * replicaset controller: claim the pods (adopt matching orphans, release owned pods that no longer
 * match), create or delete the difference (unless the writes of the last sync are not all seen yet,
 * see {@link Expectations}), then write the status. Deleting picks pods in {@link DeletionOrder}.
 */
public final class ReplicaSetReconciler implements Reconciler {

  public static final GroupKind REPLICA_SET = new GroupKind("apps", "ReplicaSet");
  public static final GroupKind POD = GroupKind.core("Pod");
  public static final String COMPONENT = "replicaset-controller";

  /** A ReplicaSet that becomes available later is looked at just after it has. */
  private static final Duration AVAILABILITY_MARGIN = Duration.ofMillis(100);

  private final Projection projection;
  private final Clock clock;
  private final Expectations<ResourceKey> expectations;
  private final Claimer claimer;
  private final ReplicaManager replicas;
  private final ClusterWriter statusWriter;

  ReplicaSetReconciler(
      Projection projection, ClusterWriter writer, EventRecorder events, Clock clock) {
    this.projection = projection;
    this.clock = clock;
    this.expectations = new Expectations<>(clock);
    this.claimer = new Claimer(writer);
    this.replicas = new ReplicaManager(writer, events, expectations, clock);
    this.statusWriter = writer;
  }

  public static Controller controller(ControlContext context) {
    ReplicaSetReconciler reconciler =
        new ReplicaSetReconciler(
            context.projection(),
            context.writerAs(COMPONENT),
            context.events(COMPONENT),
            context.clock());
    // Pods queue their controlling ReplicaSet, as watchOwned(Pod) does; the same watch also tells
    // the expectations what it sees, and queues the ReplicaSets that might adopt an orphan.
    return Controller.builder("replicaset", REPLICA_SET, reconciler)
        .watch(POD, reconciler::podChanged)
        .build();
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    Optional<StoredObject> stored = projection.get(key);
    if (stored.isEmpty()) {
      expectations.delete(key);
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    ObjectNode rs = stored.get().object();
    LabelSelector selector;
    try {
      selector = LabelSelector.fromSpec(rs.path("spec").path("selector"));
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new Outcome.Failed(e, true));
    }
    boolean mayAct = expectations.satisfied(key) && !Owners.deleting(rs);
    List<JsonNode> pods = pods(key.namespace());
    List<JsonNode> active = pods.stream().filter(PodStates::active).toList();
    return claimer
        .claim(rs, Claims.of(rs, selector, active))
        .thenCompose(
            owned ->
                mayAct
                    ? replicas.manage(key, rs, owned, () -> relatedPods(rs, pods))
                    : CompletableFuture.completedFuture(ReplicaManager.Managed.untouched(owned)))
        .thenCompose(
            managed -> writeStatus(key, rs, managed).thenApply(v -> outcome(key, rs, managed)));
  }

  private CompletableFuture<Void> writeStatus(
      ResourceKey key, ObjectNode rs, ReplicaManager.Managed managed) {
    ObjectNode status =
        ReplicaSetStatus.calculate(
            rs, managed.pods(), managed.errorMessage(), managed.creating(), clock.instant());
    if (!ReplicaSetStatus.changed(rs, status)) {
      return CompletableFuture.completedFuture(null);
    }
    return statusWriter
        .modify(
            key,
            null,
            WritePath.Part.STATUS,
            current -> {
              current.set("status", status);
              return current;
            })
        .thenAccept(ReplicaSetReconciler::requireAccepted);
  }

  private Outcome outcome(ResourceKey key, ObjectNode rs, ReplicaManager.Managed managed) {
    if (managed.error() != null) {
      return Outcome.failed(managed.error());
    }
    Optional<Duration> later = Optional.empty();
    if (!expectations.satisfied(key)) {
      later = Optional.of(expectations.untilExpiry(key));
    }
    int minReadySeconds = rs.path("spec").path("minReadySeconds").asInt(0);
    Optional<Duration> available =
        ReplicaSetStatus.nextAvailable(managed.pods(), minReadySeconds, clock.instant())
            .map(d -> d.plus(AVAILABILITY_MARGIN));
    if (available.isPresent() && (later.isEmpty() || available.get().compareTo(later.get()) < 0)) {
      later = available;
    }
    return later.<Outcome>map(Outcome.RequeueAfter::new).orElse(Outcome.DONE);
  }

  /** Every pod of the namespace (claims need the ones that stopped matching too). */
  private List<JsonNode> pods(String namespace) {
    List<JsonNode> pods = new ArrayList<>();
    for (StoredObject pod : projection.list(ListQuery.in(POD, namespace)).items()) {
      pods.add(pod.object());
    }
    return pods;
  }

  /** The pods of every ReplicaSet with the same controller as {@code rs} (for deletion ranks). */
  private List<JsonNode> relatedPods(JsonNode rs, List<JsonNode> pods) {
    String controller = Owners.controllerUid(rs);
    if (controller.isEmpty()) {
      return List.of();
    }
    List<LabelSelector> selectors = new ArrayList<>();
    for (StoredObject other :
        projection.list(ListQuery.in(REPLICA_SET, Meta.namespace(rs))).items()) {
      JsonNode set = other.object();
      if (controller.equals(Owners.controllerUid(set))) {
        try {
          selectors.add(LabelSelector.fromSpec(set.path("spec").path("selector")));
        } catch (IllegalArgumentException e) {
          // a selector that cannot be read selects nothing
        }
      }
    }
    return pods.stream()
        .filter(
            p -> selectors.stream().anyMatch(s -> !s.isEverything() && s.matches(Meta.labels(p))))
        .toList();
  }

  /** The keys a pod's change queues; tells the expectations what was seen on the way. */
  Collection<ResourceKey> podChanged(WatchEvent event) {
    JsonNode pod = event.object().object();
    JsonNode previous = event.previous() == null ? null : event.previous().object();
    observe(event.type(), pod, previous);
    Set<ResourceKey> keys = new LinkedHashSet<>();
    ownerKey(pod).ifPresent(keys::add);
    if (previous != null) {
      ownerKey(previous).ifPresent(keys::add);
    }
    boolean orphan = Owners.controllerOf(pod).isEmpty();
    boolean changed =
        previous == null
            || !Meta.labels(pod).equals(Meta.labels(previous))
            || !Objects.equals(Owners.controllerUid(pod), Owners.controllerUid(previous));
    if (event.type() != WatchEvent.Type.DELETED && orphan && changed) {
      keys.addAll(selecting(pod));
    }
    return keys;
  }

  private void observe(WatchEvent.Type type, JsonNode pod, JsonNode previous) {
    String podKey = Meta.namespace(pod) + "/" + Meta.name(pod);
    Optional<ResourceKey> owner = resolvedOwner(pod);
    if (type == WatchEvent.Type.ADDED && !Owners.deleting(pod)) {
      owner.ifPresent(expectations::creationObserved);
    } else if (type == WatchEvent.Type.DELETED || Owners.deleting(pod)) {
      owner.ifPresent(k -> expectations.deletionObserved(k, podKey));
      if (previous != null && !Meta.labels(pod).equals(Meta.labels(previous))) {
        resolvedOwner(previous).ifPresent(k -> expectations.deletionObserved(k, podKey));
      }
    }
  }

  /** The ReplicaSet that controls the pod, when it exists with the referenced uid. */
  private Optional<ResourceKey> resolvedOwner(JsonNode pod) {
    Optional<ResourceKey> key = ownerKey(pod);
    if (key.isEmpty()) {
      return key;
    }
    String uid = Owners.controllerUid(pod);
    return projection.get(key.get()).filter(rs -> uid.equals(rs.uid())).map(rs -> key.get());
  }

  private static Optional<ResourceKey> ownerKey(JsonNode pod) {
    return Owners.controllerOf(pod)
        .filter(
            ref ->
                "ReplicaSet".equals(ref.path("kind").asText())
                    && "apps".equals(ResourceKey.groupOf(ref.path("apiVersion").asText(""))))
        .map(
            ref ->
                ResourceKey.of(
                    "apps", "ReplicaSet", Meta.namespace(pod), ref.path("name").asText()));
  }

  /** The ReplicaSets of the pod's namespace whose selector matches it (they may adopt it). */
  private List<ResourceKey> selecting(JsonNode pod) {
    List<ResourceKey> keys = new ArrayList<>();
    for (StoredObject stored :
        projection.list(ListQuery.in(REPLICA_SET, Meta.namespace(pod))).items()) {
      try {
        LabelSelector selector =
            LabelSelector.fromSpec(stored.object().path("spec").path("selector"));
        if (!selector.isEverything() && selector.matches(Meta.labels(pod))) {
          keys.add(stored.key());
        }
      } catch (IllegalArgumentException e) {
        // selects nothing
      }
    }
    return keys;
  }

  static void requireAccepted(WriteResult result) {
    if (result instanceof WriteResult.Rejected r) {
      throw new WriteRefusedException(r.reason(), r.message());
    }
  }
}
