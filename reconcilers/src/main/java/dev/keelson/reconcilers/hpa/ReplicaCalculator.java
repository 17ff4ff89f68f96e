package dev.keelson.reconcilers.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's replica calculator for resource metrics, as pure functions: from the pods a target
 * selects (their phase, readiness, requests and latest metric), the replica count that brings the
 * average to the target. A change within the tolerance is none; pods without metrics count, on a
 * scale-down, as using their whole request (or the target, if higher) and, on a scale-up, as idle;
 * pods not ready yet count as idle on a scale-up and not at all otherwise; a change that would
 * reverse the direction those assumptions point in is dropped.
 */
public final class ReplicaCalculator {

  /**
   * What the calculation assumes: the tolerance (upstream 0.1), how long after its start a pod's
   * CPU may still be its start-up burst (5 min), and how long a pod may take to first turn ready
   * (30 s).
   */
  public record Settings(
      double tolerance, Duration cpuInitializationPeriod, Duration delayOfInitialReadinessStatus) {

    public static final Settings DEFAULTS =
        new Settings(0.1, Duration.ofMinutes(5), Duration.ofSeconds(30));
  }

  /** The pod's Ready condition. */
  public record Readiness(boolean ready, Instant lastTransitionTime) {}

  /** A pod's latest metric: its value in thousandths of the unit, when it was taken, over what. */
  public record Metric(long milliValue, Instant timestamp, Duration window) {}

  /**
   * One pod, as far as the calculation goes.
   *
   * @param ready its Ready condition, null when it has none
   * @param startTime status.startTime, null when unset
   * @param requestMilli the sum of its containers' requests of the resource, null when one of them
   *     has none ({@code missingRequest} says which)
   * @param metric its latest metric, null when there is none (or it is stale)
   */
  public record PodSample(
      String name,
      String phase,
      boolean deleting,
      Readiness ready,
      Instant startTime,
      Long requestMilli,
      String missingRequest,
      Metric metric) {}

  /** What a calculation found. */
  public sealed interface Result {}

  /**
   * A proposal.
   *
   * @param utilization the pods' use as a percentage of their requests (utilization targets only)
   * @param averageMilli the average use per pod, in thousandths of the unit
   */
  public record Proposal(int replicas, int utilization, long averageMilli) implements Result {}

  /** No proposal could be made, and why, in upstream's words. */
  public record Unable(String message) implements Result {}

  private record Groups(int ready, Set<String> unready, Set<String> missing, Set<String> ignored) {}

  private ReplicaCalculator() {}

  /**
   * The replicas that bring the pods' use to {@code targetUtilization} percent of their requests
   * (upstream's GetResourceReplicas). {@code cpu} turns on the readiness rules that apply to CPU.
   */
  public static Result utilization(
      int currentReplicas,
      int targetUtilization,
      List<PodSample> pods,
      boolean cpu,
      Instant now,
      Settings settings) {
    if (pods.isEmpty()) {
      return new Unable("no pods returned by selector while calculating replica count");
    }
    Map<String, Long> metrics = metrics(pods);
    if (metrics.isEmpty()) {
      return new Unable("no metrics returned from resource metrics API");
    }
    Groups groups = group(pods, cpu, now, settings);
    metrics.keySet().removeAll(groups.ignored());
    metrics.keySet().removeAll(groups.unready());
    Map<String, Long> requests = new HashMap<>();
    for (PodSample pod : pods) {
      if (pod.requestMilli() == null) {
        return new Unable(pod.missingRequest());
      }
      requests.put(pod.name(), pod.requestMilli());
    }
    if (metrics.isEmpty()) {
      return new Unable("did not receive metrics for targeted pods (pods might be unready)");
    }
    Ratio ratio = utilizationRatio(metrics, requests, targetUtilization);
    if (ratio == null) {
      return new Unable("no metrics returned matched known pods");
    }
    boolean scaleUpWithUnready = !groups.unready().isEmpty() && ratio.ratio() > 1.0;
    if (!scaleUpWithUnready && groups.missing().isEmpty()) {
      if (Math.abs(1.0 - ratio.ratio()) <= settings.tolerance()) {
        return new Proposal(currentReplicas, ratio.utilization(), ratio.average());
      }
      return new Proposal(
          (int) Math.ceil(ratio.ratio() * groups.ready()), ratio.utilization(), ratio.average());
    }
    if (ratio.ratio() < 1.0) {
      long fallback = Math.max(100, targetUtilization);
      groups.missing().forEach(p -> metrics.put(p, requests.get(p) * fallback / 100));
    } else if (ratio.ratio() > 1.0) {
      groups.missing().forEach(p -> metrics.put(p, 0L));
    }
    if (scaleUpWithUnready) {
      groups.unready().forEach(p -> metrics.put(p, 0L));
    }
    Ratio rebalanced = utilizationRatio(metrics, requests, targetUtilization);
    int replicas = rebalance(currentReplicas, ratio.ratio(), rebalanced.ratio(), metrics, settings);
    return new Proposal(replicas, ratio.utilization(), ratio.average());
  }

  /**
   * The replicas that bring the pods' average use to {@code targetMilli} (upstream's
   * GetRawResourceReplicas, a resource metric with an AverageValue target).
   */
  public static Result averageValue(
      int currentReplicas,
      long targetMilli,
      List<PodSample> pods,
      boolean cpu,
      Instant now,
      Settings settings) {
    if (pods.isEmpty()) {
      return new Unable("no pods returned by selector while calculating replica count");
    }
    Map<String, Long> metrics = metrics(pods);
    if (metrics.isEmpty()) {
      return new Unable("no metrics returned from resource metrics API");
    }
    Groups groups = group(pods, cpu, now, settings);
    metrics.keySet().removeAll(groups.ignored());
    metrics.keySet().removeAll(groups.unready());
    if (metrics.isEmpty()) {
      return new Unable("did not receive metrics for targeted pods (pods might be unready)");
    }
    long average = average(metrics);
    double ratio = (double) average / targetMilli;
    boolean scaleUpWithUnready = !groups.unready().isEmpty() && ratio > 1.0;
    if (!scaleUpWithUnready && groups.missing().isEmpty()) {
      if (Math.abs(1.0 - ratio) <= settings.tolerance()) {
        return new Proposal(currentReplicas, 0, average);
      }
      return new Proposal((int) Math.ceil(ratio * groups.ready()), 0, average);
    }
    if (ratio < 1.0) {
      groups.missing().forEach(p -> metrics.put(p, targetMilli));
    } else {
      groups.missing().forEach(p -> metrics.put(p, 0L));
    }
    if (scaleUpWithUnready) {
      groups.unready().forEach(p -> metrics.put(p, 0L));
    }
    double rebalanced = (double) average(metrics) / targetMilli;
    return new Proposal(
        rebalance(currentReplicas, ratio, rebalanced, metrics, settings), 0, average);
  }

  /**
   * The count after the assumptions about missing and unready pods: none when the change is within
   * the tolerance, or when the assumptions turned its direction.
   */
  private static int rebalance(
      int currentReplicas,
      double ratio,
      double rebalanced,
      Map<String, Long> metrics,
      Settings settings) {
    if (Math.abs(1.0 - rebalanced) <= settings.tolerance()
        || (ratio < 1.0 && rebalanced > 1.0)
        || (ratio > 1.0 && rebalanced < 1.0)) {
      return currentReplicas;
    }
    int replicas = (int) Math.ceil(rebalanced * metrics.size());
    if ((rebalanced < 1.0 && replicas > currentReplicas)
        || (rebalanced > 1.0 && replicas < currentReplicas)) {
      return currentReplicas;
    }
    return replicas;
  }

  private static Map<String, Long> metrics(List<PodSample> pods) {
    Map<String, Long> metrics = new HashMap<>();
    for (PodSample pod : pods) {
      if (pod.metric() != null) {
        metrics.put(pod.name(), pod.metric().milliValue());
      }
    }
    return metrics;
  }

  /** Upstream's groupPods: ready, unready (or too early to judge), missing, and ignored pods. */
  private static Groups group(List<PodSample> pods, boolean cpu, Instant now, Settings settings) {
    int ready = 0;
    Set<String> unready = new HashSet<>();
    Set<String> missing = new HashSet<>();
    Set<String> ignored = new HashSet<>();
    for (PodSample pod : pods) {
      if (pod.deleting() || "Failed".equals(pod.phase())) {
        ignored.add(pod.name());
      } else if ("Pending".equals(pod.phase())) {
        unready.add(pod.name());
      } else if (pod.metric() == null) {
        missing.add(pod.name());
      } else if (cpu && cpuUnready(pod, now, settings)) {
        unready.add(pod.name());
      } else {
        ready++;
      }
    }
    return new Groups(ready, unready, missing, ignored);
  }

  /**
   * Whether a pod's CPU sample is not to be trusted: it is not ready, or, within its start-up
   * period, no full window of metrics was taken since it turned ready; after that period only a pod
   * that never turned ready is.
   */
  private static boolean cpuUnready(PodSample pod, Instant now, Settings settings) {
    Readiness ready = pod.ready();
    if (ready == null || pod.startTime() == null) {
      return true;
    }
    Metric metric = pod.metric();
    if (pod.startTime().plus(settings.cpuInitializationPeriod()).isAfter(now)) {
      return !ready.ready()
          || metric.timestamp().isBefore(ready.lastTransitionTime().plus(metric.window()));
    }
    return !ready.ready()
        && pod.startTime()
            .plus(settings.delayOfInitialReadinessStatus())
            .isAfter(ready.lastTransitionTime());
  }

  private record Ratio(double ratio, int utilization, long average) {}

  /** Use over requests, as a percentage and as a ratio to the target; null without requests. */
  private static Ratio utilizationRatio(
      Map<String, Long> metrics, Map<String, Long> requests, int targetUtilization) {
    long used = 0;
    long requested = 0;
    int entries = 0;
    for (Map.Entry<String, Long> metric : metrics.entrySet()) {
      Long request = requests.get(metric.getKey());
      if (request != null) {
        used += metric.getValue();
        requested += request;
        entries++;
      }
    }
    if (requested == 0) {
      return null;
    }
    int utilization = (int) (used * 100 / requested);
    return new Ratio((double) utilization / targetUtilization, utilization, used / entries);
  }

  private static long average(Map<String, Long> metrics) {
    long total = 0;
    for (long value : metrics.values()) {
      total += value;
    }
    return total / metrics.size();
  }
}
