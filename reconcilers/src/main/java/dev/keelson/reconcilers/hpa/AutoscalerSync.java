package dev.keelson.reconcilers.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.selector.LabelSelector;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One sync of an autoscaler, decided as upstream's reconcileAutoscaler decides it, as a pure
 * function of what it reads: the target's scale, the selected pods and their metrics, the
 * autoscaler's history. It yields the status to write, the events to record, and the count to scale
 * the target to, if any; the caller reports how that write went.
 */
final class AutoscalerSync {

  static final String ABLE_TO_SCALE = "AbleToScale";
  static final String SCALING_ACTIVE = "ScalingActive";
  static final String SCALING_LIMITED = "ScalingLimited";

  /** An event to record about the autoscaler. */
  record Event(String type, String reason, String message) {}

  /** The target's scale: its spec.replicas and its pod selector (a missing node when none). */
  record Scale(int replicas, JsonNode selector) {}

  /**
   * What a sync reads.
   *
   * @param scale the target's scale, or null when it cannot be read ({@code scaleError} says why)
   * @param pods the target's namespace's pods that a selector selects
   * @param metricsOf a pod's PodMetrics by pod name, or null
   */
  record Inputs(
      ObjectNode autoscaler,
      Scale scale,
      String scaleError,
      Function<LabelSelector, List<JsonNode>> pods,
      Function<String, JsonNode> metricsOf,
      ScalingHistory history,
      Instant now,
      Duration downscaleStabilization,
      ReplicaCalculator.Settings settings,
      Duration metricsMaxAge) {}

  private record Metrics(int replicas, String name, List<ObjectNode> statuses, String error) {}

  private AutoscalerSync() {}

  static Decision decide(Inputs in) {
    String now = in.now().truncatedTo(ChronoUnit.SECONDS).toString();
    AutoscalerStatus status = new AutoscalerStatus(in.autoscaler().path("status"), now);
    List<Event> events = new ArrayList<>();
    if (in.scale() == null) {
      events.add(new Event("Warning", "FailedGetScale", in.scaleError()));
      status.setCondition(
          ABLE_TO_SCALE,
          "False",
          "FailedGetScale",
          "the HPA controller was unable to get the target's current scale: " + in.scaleError());
      return new Decision(in, status, events, 0, 0, null, null);
    }
    status.setCondition(
        ABLE_TO_SCALE,
        "True",
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale");
    JsonNode spec = in.autoscaler().path("spec");
    int current = in.scale().replicas();
    in.history().recordInitial(current, in.now());
    int min = spec.path("minReplicas").asInt(1);
    int max = spec.path("maxReplicas").asInt();
    int desired;
    String reason = "";
    List<ObjectNode> statuses = null;
    if (current == 0 && min != 0) {
      status.setCondition(
          SCALING_ACTIVE,
          "False",
          "ScalingDisabled",
          "scaling is disabled since the replica count of the target is zero");
      desired = 0;
    } else if (current > max) {
      reason = "Current number of replicas above Spec.MaxReplicas";
      desired = max;
    } else if (current < min) {
      reason = "Current number of replicas below Spec.MinReplicas";
      desired = min;
    } else {
      Metrics metrics = computeMetrics(in, status, events, current);
      if (metrics.error() != null) {
        status.setCurrentReplicas(current);
        events.add(new Event("Warning", "FailedComputeMetricsReplicas", metrics.error()));
        return new Decision(in, status, events, current, current, null, null);
      }
      desired = metrics.replicas();
      if (desired > current) {
        reason = metrics.name() + " above target";
      } else if (desired < current) {
        reason = "All metrics below target";
      }
      Behavior behavior = Behavior.of(spec, in.downscaleStabilization());
      ScaleNormalizer.Normalized normalized =
          behavior == null
              ? ScaleNormalizer.normalize(
                  in.history(), current, desired, min, max, in.downscaleStabilization(), in.now())
              : ScaleNormalizer.normalize(
                  behavior, in.history(), current, desired, min, max, in.now());
      status.setCondition(ABLE_TO_SCALE, normalized.ableToScale());
      status.setCondition(SCALING_LIMITED, normalized.scalingLimited());
      desired = normalized.replicas();
      statuses = metrics.statuses();
    }
    boolean rescale = desired != current;
    if (!rescale) {
      status.set(current, current, statuses, false);
      return new Decision(in, status, events, current, current, null, statuses);
    }
    return new Decision(in, status, events, current, desired, reason, statuses);
  }

  /** Upstream's computeReplicasForMetrics: the highest proposal of the metrics that computed. */
  private static Metrics computeMetrics(
      Inputs in, AutoscalerStatus status, List<Event> events, int current) {
    JsonNode selectorSpec = in.scale().selector();
    if (selectorSpec == null || !selectorSpec.isObject() || selectorSpec.isEmpty()) {
      events.add(new Event("Warning", "SelectorRequired", "selector is required"));
      status.setCondition(
          SCALING_ACTIVE,
          "False",
          "InvalidSelector",
          "the HPA target's scale is missing a selector");
      return new Metrics(0, "", null, "selector is required");
    }
    LabelSelector selector;
    try {
      selector = LabelSelector.fromSpec(selectorSpec);
    } catch (IllegalArgumentException e) {
      String message =
          "couldn't convert selector into a corresponding internal selector object: "
              + e.getMessage();
      events.add(new Event("Warning", "InvalidSelector", message));
      status.setCondition(SCALING_ACTIVE, "False", "InvalidSelector", message);
      return new Metrics(0, "", null, message);
    }
    List<JsonNode> pods = in.pods().apply(selector);
    JsonNode specs = in.autoscaler().path("spec").path("metrics");
    List<ObjectNode> statuses = new ArrayList<>();
    int replicas = 0;
    String name = "";
    int invalid = 0;
    MetricSources.Failed first = null;
    for (JsonNode spec : specs) {
      MetricSources.Outcome outcome =
          MetricSources.compute(
              spec, current, pods, in.metricsOf(), in.now(), in.settings(), in.metricsMaxAge());
      if (outcome instanceof MetricSources.Computed computed) {
        statuses.add(computed.status());
        if (replicas == 0 || computed.replicas() > replicas) {
          replicas = computed.replicas();
          name = computed.name();
        }
      } else {
        MetricSources.Failed failed = (MetricSources.Failed) outcome;
        events.add(new Event("Warning", failed.reason(), failed.message()));
        statuses.add(Json.object().put("type", ""));
        first = first == null ? failed : first;
        invalid++;
      }
    }
    // Every metric failed, or some did and the rest would scale down: a partial view never shrinks.
    if (invalid > 0 && (invalid >= specs.size() || replicas < current)) {
      status.setCondition(
          SCALING_ACTIVE,
          "False",
          first.reason(),
          "the HPA was unable to compute the replica count: " + first.message());
      return new Metrics(
          0,
          "",
          statuses,
          "invalid metrics ("
              + invalid
              + " invalid out of "
              + specs.size()
              + "), first error is: "
              + first.message());
    }
    status.setCondition(
        SCALING_ACTIVE,
        "True",
        "ValidMetricFound",
        "the HPA was able to successfully calculate a replica count from " + name);
    return new Metrics(replicas, name, statuses, null);
  }

  /** What a sync decided; a rescale is finished by {@link #rescaled} or {@link #rescaleFailed}. */
  static final class Decision {
    private final Inputs in;
    private final AutoscalerStatus status;
    private final List<Event> events;
    private final int current;
    private final int desired;
    private final String reason;
    private final List<ObjectNode> statuses;

    private Decision(
        Inputs in,
        AutoscalerStatus status,
        List<Event> events,
        int current,
        int desired,
        String reason,
        List<ObjectNode> statuses) {
      this.in = in;
      this.status = status;
      this.events = events;
      this.current = current;
      this.desired = desired;
      this.reason = reason;
      this.statuses = statuses;
    }

    /** The count to scale the target to, or null to leave it. */
    Integer rescaleTo() {
      return reason == null ? null : desired;
    }

    /** The target now has {@code desired} replicas. */
    void rescaled() {
      status.setCondition(
          ABLE_TO_SCALE,
          "True",
          "SucceededRescale",
          "the HPA controller was able to update the target scale to " + desired);
      events.add(
          new Event("Normal", "SuccessfulRescale", "New size: " + desired + "; reason: " + reason));
      ScaleNormalizer.scaled(
          Behavior.of(in.autoscaler().path("spec"), in.downscaleStabilization()),
          in.history(),
          current,
          desired,
          in.now());
      status.set(current, desired, statuses, true);
    }

    /** Writing the target's replicas failed with {@code error}. */
    void rescaleFailed(String error) {
      events.add(
          new Event(
              "Warning",
              "FailedRescale",
              "New size: " + desired + "; reason: " + reason + "; error: " + error));
      status.setCondition(
          ABLE_TO_SCALE,
          "False",
          "FailedUpdateScale",
          "the HPA controller was unable to update the target scale: " + error);
      status.setCurrentReplicas(current);
    }

    ObjectNode status() {
      return status.json();
    }

    List<Event> events() {
      return events;
    }
  }
}
