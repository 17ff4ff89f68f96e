package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.Projection;
import dev.keelson.projection.Rejection;
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
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default scheduler: places each pod that waits for it (no node, schedulerName empty or
 * default-scheduler, not being deleted, not finished) on a node, as upstream's kube-scheduler does.
 *
 * <p>A reconcile reads the pod, decides against the {@link SchedulerCache} (one decision at a time,
 * the chosen node assumed at once), and binds; binds run many at a time, and a reconcile ends when
 * its bind does. A pod no node fits gets PodScheduled=False/Unschedulable with upstream's message
 * and a FailedScheduling event, and is tried again when a node changes or a pod leaves a node
 * (after a back-off), and every 30 s.
 */
public final class SchedulerReconciler implements Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerReconciler.class);

  public static final String COMPONENT = "default-scheduler";
  static final Duration RETRY = Duration.ofSeconds(30);
  static final int BINDS_IN_FLIGHT = 64;
  static final String GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates";

  private final Projection projection;
  private final ClusterWriter writer;
  private final EventRecorder events;
  private final CacheGuard guard;
  private final Placement placement = new Placement(new Random());
  private final UnschedulablePods unschedulable = new UnschedulablePods(System::nanoTime);
  private volatile Controller controller;

  SchedulerReconciler(Projection projection, ClusterWriter writer, EventRecorder events) {
    this.projection = projection;
    this.writer = writer;
    this.events = events;
    this.guard = new CacheGuard(projection, this::wake);
  }

  public static Controller controller(ControlContext context) {
    SchedulerReconciler reconciler =
        new SchedulerReconciler(
            context.projection(), context.writerAs(COMPONENT), context.events(COMPONENT));
    Controller controller =
        Controller.builder(COMPONENT, SchedulerCache.POD, reconciler)
            .watch(SchedulerCache.NODE, reconciler::observe)
            .watch(SchedulerCache.POD, reconciler::observe)
            .concurrency(BINDS_IN_FLIGHT)
            .build();
    reconciler.controller = controller;
    return controller;
  }

  /** Feeds a Node or Pod change to the cache; what it queues, it queues itself. */
  private Collection<ResourceKey> observe(WatchEvent event) {
    guard.offer(event);
    return List.of();
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    Optional<StoredObject> stored = projection.get(key);
    if (stored.isEmpty() || !unbound(stored.get())) {
      unschedulable.remove(key);
      return done();
    }
    StoredObject object = stored.get();
    if (unschedulable.backingOff(key, object.revision())) {
      return done();
    }
    PodInfo cached = unschedulable.cached(key, object.revision());
    PodInfo pod =
        cached != null ? cached : PodInfo.parse(Json.parseObject(object.json()), object.revision());
    if (!pod.waitsForScheduler()) {
      unschedulable.remove(key);
      return done();
    }
    if (pod.gated()) {
      return setScheduled(pod, "SchedulingGated", GATED_MESSAGE)
          .handle((result, error) -> settled(error, Outcome.DONE));
    }
    Placement.Decision decision = guard.locked(cache -> decide(pod, cache));
    if (decision instanceof Placement.Bind bind) {
      return bind(pod, bind.node().name());
    }
    return unschedulable(pod, ((Placement.Unschedulable) decision).message());
  }

  private static boolean unbound(StoredObject pod) {
    String phase = pod.fields().get("status.phase");
    return pod.fields().getOrDefault("spec.nodeName", "").isEmpty()
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  /** Filters and scores under the cache's lock, and assumes the pod on the node it chose. */
  private Placement.Decision decide(PodInfo pod, SchedulerCache cache) {
    InterPodAffinity affinity =
        InterPodAffinity.prepare(
            pod, cache.nodes(), cache.anyAntiAffinityPods(), this::namespaceLabels);
    Placement.Decision decision = placement.decide(pod, cache.nodes(), cache::node, affinity);
    if (decision instanceof Placement.Bind bind) {
      cache.assume(pod, bind.node());
    }
    return decision;
  }

  private Map<String, String> namespaceLabels(String namespace) {
    return projection
        .get(ResourceKey.of("", "Namespace", "", namespace))
        .map(StoredObject::labels)
        .orElse(Map.of());
  }

  private CompletionStage<Outcome> bind(PodInfo pod, String node) {
    return writer
        .bind(pod.key(), pod.uid(), node)
        .handle(
            (result, error) -> {
              if (error == null && result instanceof WriteResult.Accepted) {
                unschedulable.remove(pod.key());
                events.normal(
                    reference(pod),
                    "Scheduled",
                    "Successfully assigned " + pod.namespace() + "/" + pod.name() + " to " + node);
                return Outcome.DONE;
              }
              guard.locked(
                  cache -> {
                    cache.forget(pod);
                    return null;
                  });
              Throwable cause = unwrap(error);
              if (cause == null || cause instanceof WriteRefusedException) {
                // The pod went, or changed under us: its own change brings it back if need be.
                LOG.debug(
                    "binding {} to {} refused: {}",
                    pod.key(),
                    node,
                    cause != null ? cause.getMessage() : result);
                return Outcome.DONE;
              }
              return Outcome.failed(cause);
            });
  }

  private CompletionStage<Outcome> unschedulable(PodInfo pod, String message) {
    boolean record = unschedulable.failed(pod, message);
    if (record) {
      events.warning(reference(pod), "FailedScheduling", message);
    }
    return setScheduled(pod, "Unschedulable", message)
        .handle(
            (result, error) -> {
              if (result instanceof WriteResult.Accepted accepted) {
                StoredObject now = accepted.object();
                unschedulable.written(PodInfo.parse(now.object(), now.revision()));
              }
              return settled(error, Outcome.requeueAfter(RETRY));
            });
  }

  /** Sets PodScheduled=False with {@code reason}, unless the pod has it already or was bound. */
  private CompletableFuture<WriteResult> setScheduled(PodInfo pod, String reason, String message) {
    PodInfo.Condition now = pod.scheduled();
    if (now != null
        && "False".equals(now.status())
        && reason.equals(now.reason())
        && message.equals(now.message())) {
      return CompletableFuture.completedFuture(null);
    }
    String time = writer.now();
    return writer.modify(
        pod.key(),
        null,
        WritePath.Part.STATUS,
        object -> {
          boolean same = pod.uid().equals(object.path("metadata").path("uid").asText());
          boolean bound = !object.path("spec").path("nodeName").asText("").isEmpty();
          if (!same
              || bound
              || !ClusterWriter.setCondition(
                  object, "PodScheduled", "False", reason, message, time)) {
            throw new WriteRefusedException(Rejection.CONFLICT, "nothing to write");
          }
          return object;
        });
  }

  /** {@code outcome} once a status write is done or had nothing to write; else a retry. */
  private static Outcome settled(Throwable error, Outcome outcome) {
    Throwable cause = unwrap(error);
    return cause == null || cause instanceof WriteRefusedException
        ? outcome
        : Outcome.failed(cause);
  }

  /** Brings back the pods a change may help, each after its back-off. */
  private void wake(SchedulerCache.Wake wake) {
    Controller c = controller;
    if (c == null) {
      return;
    }
    for (UnschedulablePods.Wakeup w : unschedulable.wake(wake == SchedulerCache.Wake.AFFINITY)) {
      c.enqueueAfter(w.key(), w.delay());
    }
  }

  private static ObjectNode reference(PodInfo pod) {
    ObjectNode ref = Json.object();
    ref.put("apiVersion", "v1");
    ref.put("kind", "Pod");
    ref.putObject("metadata")
        .put("name", pod.name())
        .put("namespace", pod.namespace())
        .put("uid", pod.uid())
        .put("resourceVersion", Long.toString(pod.revision()));
    return ref;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static CompletionStage<Outcome> done() {
    return CompletableFuture.completedFuture(Outcome.DONE);
  }
}
