package dev.keelson.reconcilers.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Upstream's normalization of a recommendation into the count to scale to: stabilized against the
 * recent recommendations (a scale-down takes the highest of its window, so load that comes and goes
 * does not flap the target), then bounded by minReplicas and maxReplicas and by how fast the count
 * may change: at most doubling (or +4) per sync without a behavior, the behavior's policies with
 * one.
 */
public final class ScaleNormalizer {

  /** A condition of the autoscaler's status. */
  public record Condition(String status, String reason, String message) {}

  /**
   * The count to scale to, with why (the AbleToScale condition, when stabilization held it back)
   * and whether a limit bounded it (the ScalingLimited condition).
   */
  public record Normalized(int replicas, Condition ableToScale, Condition scalingLimited) {}

  private record Limited(int replicas, String reason, String message) {}

  private static final Condition READY =
      new Condition("True", "ReadyForNewScale", "recommended size matches current size");
  private static final String UP_STABILIZED =
      "recent recommendations were lower than current one, applying the lowest recent"
          + " recommendation";
  private static final String DOWN_STABILIZED =
      "recent recommendations were higher than current one, applying the highest recent"
          + " recommendation";

  private ScaleNormalizer() {}

  /**
   * Without a behavior (upstream's normalizeDesiredReplicas): the highest recommendation of the
   * downscale stabilization window, then the min/max bounds and the doubling limit. Records {@code
   * desired} in {@code history}.
   */
  public static Normalized normalize(
      ScalingHistory history,
      int current,
      int desired,
      int min,
      int max,
      Duration downscaleStabilization,
      Instant now) {
    int stabilized = desired;
    Instant cutoff = now.minus(downscaleStabilization);
    for (ScalingHistory.Recommendation recommendation : history.recommendations()) {
      if (!recommendation.time().isBefore(cutoff)) {
        stabilized = Math.max(stabilized, recommendation.replicas());
      }
    }
    history.recommend(desired, now, downscaleStabilization);
    Condition able =
        stabilized != desired
            ? new Condition("True", "ScaleDownStabilized", DOWN_STABILIZED)
            : READY;
    Limited limited = withRules(current, stabilized, min, max);
    return new Normalized(limited.replicas(), able, limitedCondition(limited, stabilized));
  }

  /**
   * With a behavior (upstream's normalizeDesiredReplicasWithBehaviors): kept within the lowest
   * recommendation of the scale-up window and the highest of the scale-down window, then bounded by
   * min/max and by the policies over the recent scale events. Records {@code desired}.
   */
  public static Normalized normalize(
      Behavior behavior,
      ScalingHistory history,
      int current,
      int desired,
      int min,
      int max,
      Instant now) {
    Instant upCutoff = now.minus(behavior.scaleUp().stabilizationWindow());
    Instant downCutoff = now.minus(behavior.scaleDown().stabilizationWindow());
    int up = desired;
    int down = desired;
    for (ScalingHistory.Recommendation recommendation : history.recommendations()) {
      if (recommendation.time().isAfter(upCutoff)) {
        up = Math.min(up, recommendation.replicas());
      }
      if (recommendation.time().isAfter(downCutoff)) {
        down = Math.max(down, recommendation.replicas());
      }
    }
    int stabilized = Math.min(Math.max(current, up), down);
    Duration keep =
        max(behavior.scaleUp().stabilizationWindow(), behavior.scaleDown().stabilizationWindow());
    history.recommend(desired, now, keep);
    Condition able =
        stabilized == desired
            ? READY
            : desired >= current
                ? new Condition("True", "ScaleUpStabilized", UP_STABILIZED)
                : new Condition("True", "ScaleDownStabilized", DOWN_STABILIZED);
    Limited limited = withBehaviorRate(behavior, history, current, stabilized, min, max, now);
    return new Normalized(limited.replicas(), able, limitedCondition(limited, stabilized));
  }

  /** Remembers a scale change for the policies of {@code behavior}; without one, nothing. */
  public static void scaled(
      Behavior behavior, ScalingHistory history, int from, int to, Instant now) {
    if (behavior != null && from != to) {
      Behavior.Rules rules = to > from ? behavior.scaleUp() : behavior.scaleDown();
      history.scaled(from, to, now, rules.longestPeriod());
    }
  }

  private static Condition limitedCondition(Limited limited, int stabilized) {
    return new Condition(
        limited.replicas() == stabilized ? "False" : "True", limited.reason(), limited.message());
  }

  /** Upstream's convertDesiredReplicasWithRules. */
  private static Limited withRules(int current, int desired, int min, int max) {
    int scaleUpLimit = Math.max(2 * current, 4);
    int maximum;
    String reason;
    String message;
    if (max > scaleUpLimit) {
      maximum = scaleUpLimit;
      reason = "ScaleUpLimit";
      message = "the desired replica count is increasing faster than the maximum scale rate";
    } else {
      maximum = max;
      reason = "TooManyReplicas";
      message = "the desired replica count is more than the maximum replica count";
    }
    if (desired < min) {
      return new Limited(
          min,
          "TooFewReplicas",
          "the desired replica count is less than the minimum replica count");
    }
    if (desired > maximum) {
      return new Limited(maximum, reason, message);
    }
    return withinRange(desired);
  }

  /** Upstream's convertDesiredReplicasWithBehaviorRate. */
  private static Limited withBehaviorRate(
      Behavior behavior,
      ScalingHistory history,
      int current,
      int desired,
      int min,
      int max,
      Instant now) {
    if (desired > current) {
      int limit = Math.max(current, scaleUpLimit(behavior.scaleUp(), history, current, now));
      if (max > limit) {
        if (desired > limit) {
          return new Limited(
              limit,
              "ScaleUpLimit",
              "the desired replica count is increasing faster than the maximum scale rate");
        }
      } else if (desired > max) {
        return new Limited(
            max,
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count");
      }
    } else if (desired < current) {
      int limit = Math.min(current, scaleDownLimit(behavior.scaleDown(), history, current, now));
      if (min < limit) {
        if (desired < limit) {
          return new Limited(
              limit,
              "ScaleDownLimit",
              "the desired replica count is decreasing faster than the maximum scale rate");
        }
      } else if (desired < min) {
        return new Limited(
            min,
            "TooFewReplicas",
            "the desired replica count is less than the minimum replica count");
      }
    }
    return withinRange(desired);
  }

  private static Limited withinRange(int desired) {
    return new Limited(
        desired, "DesiredWithinRange", "the desired count is within the acceptable range");
  }

  /** The most replicas the scale-up policies allow now. */
  static int scaleUpLimit(Behavior.Rules rules, ScalingHistory history, int current, Instant now) {
    if (rules.selectPolicy().equals("Disabled")) {
      return current;
    }
    boolean min = rules.selectPolicy().equals("Min");
    int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (Behavior.Policy policy : rules.policies()) {
      int start =
          current
              - changes(history.scaleUps(), policy.period(), now)
              + changes(history.scaleDowns(), policy.period(), now);
      int proposed =
          policy.type().equals("Pods")
              ? start + policy.value()
              : (int) Math.ceil(start * (1 + policy.value() / 100.0));
      result = min ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  /** The fewest replicas the scale-down policies allow now. */
  static int scaleDownLimit(
      Behavior.Rules rules, ScalingHistory history, int current, Instant now) {
    if (rules.selectPolicy().equals("Disabled")) {
      return current;
    }
    boolean min = rules.selectPolicy().equals("Min");
    int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (Behavior.Policy policy : rules.policies()) {
      int start =
          current
              - changes(history.scaleUps(), policy.period(), now)
              + changes(history.scaleDowns(), policy.period(), now);
      int proposed =
          policy.type().equals("Pods")
              ? start - policy.value()
              : (int) (start * (1 - policy.value() / 100.0));
      result = min ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  /** The replicas changed within the last {@code period}. */
  private static int changes(List<ScalingHistory.ScaleEvent> events, Duration period, Instant now) {
    Instant cutoff = now.minus(period);
    int total = 0;
    for (ScalingHistory.ScaleEvent event : events) {
      if (event.time().isAfter(cutoff)) {
        total += event.change();
      }
    }
    return total;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
