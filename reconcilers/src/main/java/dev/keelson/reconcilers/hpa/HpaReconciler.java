package dev.keelson.reconcilers.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.selector.LabelSelector;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.ControlSettings;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.Controller;
import dev.keelson.reconcilers.control.EventRecorder;
import dev.keelson.reconcilers.control.Outcome;
import dev.keelson.reconcilers.control.Reconciler;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The horizontal pod autoscaler: every sync period, each autoscaling/v2 HorizontalPodAutoscaler
 * reads its target's replicas and selector, its pods and their PodMetrics (the metrics projection,
 * which node agents fill through the API), decides the count as upstream's controller does (see
 * {@link AutoscalerSync}), writes the target's spec.replicas when it changes, and its own status.
 * An autoscaler is synced at most once per period, whatever changes wake it, as upstream's queue
 * delays every key by the period.
 */
public final class HpaReconciler implements Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(HpaReconciler.class);

  public static final String COMPONENT = "horizontal-pod-autoscaler";
  public static final GroupKind AUTOSCALER =
      new GroupKind("autoscaling", "HorizontalPodAutoscaler");

  /** Metrics older than this are taken as missing: their node stopped reporting. */
  static final Duration METRICS_MAX_AGE = Duration.ofMinutes(1);

  /** The kinds with a scale subresource, by group. */
  private static final Set<GroupKind> SCALABLE =
      Set.of(
          new GroupKind("apps", "Deployment"),
          new GroupKind("apps", "ReplicaSet"),
          new GroupKind("apps", "StatefulSet"),
          GroupKind.core("ReplicationController"));

  private final Projection projection;
  private final Projection metrics;
  private final ClusterWriter writer;
  private final EventRecorder events;
  private final ControlSettings settings;
  private final Clock clock;
  private final Map<ResourceKey, ScalingHistory> histories = new ConcurrentHashMap<>();
  private final Map<ResourceKey, Instant> lastSync = new ConcurrentHashMap<>();

  HpaReconciler(ControlContext context) {
    this.projection = context.projection();
    this.metrics = context.metrics();
    this.writer = context.writerAs(COMPONENT);
    this.events = context.events(COMPONENT);
    this.settings = context.settings();
    this.clock = context.clock();
  }

  public static Controller controller(ControlContext context) {
    return Controller.builder("horizontalpodautoscaler", AUTOSCALER, new HpaReconciler(context))
        .concurrency(2)
        .build();
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    Optional<StoredObject> stored = projection.get(key);
    if (stored.isEmpty()) {
      histories.remove(key);
      lastSync.remove(key);
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    Instant now = clock.instant();
    Duration wait = untilDue(key, now);
    if (!wait.isZero()) {
      return CompletableFuture.completedFuture(Outcome.requeueAfter(wait));
    }
    lastSync.put(key, now);
    ObjectNode autoscaler = stored.get().object();
    JsonNode ref = autoscaler.path("spec").path("scaleTargetRef");
    ResourceKey target =
        ResourceKey.of(
            ResourceKey.groupOf(ref.path("apiVersion").asText()),
            ref.path("kind").asText(),
            key.namespace(),
            ref.path("name").asText());
    AutoscalerSync.Decision decision = AutoscalerSync.decide(inputs(key, autoscaler, target, now));
    return rescale(target, decision)
        .thenCompose(v -> writeStatus(key, autoscaler, decision))
        .thenApply(
            v -> {
              for (AutoscalerSync.Event event : decision.events()) {
                events.record(autoscaler, event.type(), event.reason(), event.message());
              }
              return Outcome.requeueAfter(settings.hpaSyncPeriod());
            });
  }

  /** How long until the autoscaler's next sync is due; zero when it is. */
  private Duration untilDue(ResourceKey key, Instant now) {
    Instant last = lastSync.get(key);
    if (last == null) {
      return Duration.ZERO;
    }
    // A little early is on time: the queue's timer and this clock need not agree to the ms.
    Duration left = Duration.between(now, last.plus(settings.hpaSyncPeriod()).minusMillis(50));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private AutoscalerSync.Inputs inputs(
      ResourceKey key, ObjectNode autoscaler, ResourceKey target, Instant now) {
    AutoscalerSync.Scale scale = null;
    String scaleError = null;
    if (!SCALABLE.contains(target.groupKind())) {
      scaleError =
          "no matches for kind \"" + target.kind() + "\" in group \"" + target.group() + "\"";
    } else {
      Optional<StoredObject> found = projection.get(target);
      if (found.isEmpty()) {
        scaleError = resource(target) + " \"" + target.name() + "\" not found";
      } else {
        JsonNode spec = found.get().object().path("spec");
        scale = new AutoscalerSync.Scale(spec.path("replicas").asInt(1), spec.path("selector"));
      }
    }
    return new AutoscalerSync.Inputs(
        autoscaler,
        scale,
        scaleError,
        selector -> pods(key.namespace(), selector),
        name -> podMetrics(key.namespace(), name),
        histories.computeIfAbsent(key, k -> new ScalingHistory()),
        now,
        settings.hpaDownscaleStabilization(),
        ReplicaCalculator.Settings.DEFAULTS,
        METRICS_MAX_AGE);
  }

  private List<JsonNode> pods(String namespace, LabelSelector selector) {
    return projection
        .list(ListQuery.in(GroupKind.core("Pod"), namespace).withLabels(selector.equalities()))
        .items()
        .stream()
        .filter(pod -> selector.matches(pod.labels()))
        .map(pod -> (JsonNode) pod.object())
        .toList();
  }

  private JsonNode podMetrics(String namespace, String name) {
    if (metrics == null) {
      return null;
    }
    return metrics
        .get(ResourceKey.of("metrics.k8s.io", "PodMetrics", namespace, name))
        .map(m -> (JsonNode) m.object())
        .orElse(null);
  }

  /** Writes the target's spec.replicas when the decision scales it, and tells the decision. */
  private CompletableFuture<Void> rescale(ResourceKey target, AutoscalerSync.Decision decision) {
    Integer replicas = decision.rescaleTo();
    if (replicas == null) {
      return CompletableFuture.completedFuture(null);
    }
    return writer
        .modify(
            target,
            null,
            WritePath.Part.MAIN,
            object -> {
              object.with("spec").put("replicas", replicas);
              return object;
            })
        .handle(
            (result, error) -> {
              if (result instanceof WriteResult.Accepted) {
                LOG.info("scaled {} to {} replicas", target, replicas);
                decision.rescaled();
              } else {
                decision.rescaleFailed(
                    error != null
                        ? unwrap(error).getMessage()
                        : ((WriteResult.Rejected) result).message());
              }
              return null;
            });
  }

  private CompletableFuture<Void> writeStatus(
      ResourceKey key, ObjectNode autoscaler, AutoscalerSync.Decision decision) {
    ObjectNode status = decision.status();
    if (status.equals(autoscaler.path("status"))) {
      return CompletableFuture.completedFuture(null);
    }
    return writer
        .modify(
            key,
            null,
            WritePath.Part.STATUS,
            object -> {
              object.set("status", status.deepCopy());
              return object;
            })
        .thenAccept(
            result -> {
              if (result instanceof WriteResult.Rejected rejected) {
                LOG.debug("status of {} not written: {}", key, rejected.message());
              }
            });
  }

  /** How upstream names a resource in errors: {@code deployments.apps}. */
  private static String resource(ResourceKey target) {
    String plural = target.kind().toLowerCase(Locale.ROOT) + "s";
    return target.group().isEmpty() ? plural : plural + "." + target.group();
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
