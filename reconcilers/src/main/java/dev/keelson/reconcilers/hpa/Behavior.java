package dev.keelson.reconcilers.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An autoscaler's spec.behavior with upstream's defaults filled in: per direction, a stabilization
 * window, the policies that bound how fast the replicas may change, and which policy wins.
 */
public record Behavior(Rules scaleUp, Rules scaleDown) {

  /** A policy: at most {@code value} pods (or percent) of change within {@code period}. */
  public record Policy(String type, int value, Duration period) {}

  /** One direction's rules. {@code selectPolicy} is Max, Min or Disabled. */
  public record Rules(Duration stabilizationWindow, String selectPolicy, List<Policy> policies) {

    public Rules {
      policies = List.copyOf(policies);
    }

    Duration longestPeriod() {
      Duration longest = Duration.ZERO;
      for (Policy policy : policies) {
        longest = policy.period().compareTo(longest) > 0 ? policy.period() : longest;
      }
      return longest;
    }
  }

  /**
   * The behavior of {@code spec}, or null when it has none (upstream then applies only the
   * downscale stabilization and the doubling limit). A scale-down without its own window gets
   * {@code downscaleStabilization}, the controller's.
   */
  public static Behavior of(JsonNode spec, Duration downscaleStabilization) {
    JsonNode behavior = spec.path("behavior");
    if (!behavior.isObject()) {
      return null;
    }
    return new Behavior(
        rules(
            behavior.path("scaleUp"),
            Duration.ZERO,
            List.of(
                new Policy("Pods", 4, Duration.ofSeconds(15)),
                new Policy("Percent", 100, Duration.ofSeconds(15)))),
        rules(
            behavior.path("scaleDown"),
            downscaleStabilization,
            List.of(new Policy("Percent", 100, Duration.ofSeconds(15)))));
  }

  private static Rules rules(JsonNode rules, Duration window, List<Policy> defaults) {
    if (rules.hasNonNull("stabilizationWindowSeconds")) {
      window = Duration.ofSeconds(rules.get("stabilizationWindowSeconds").asLong());
    }
    String select = rules.path("selectPolicy").asText("Max");
    List<Policy> policies = new ArrayList<>();
    for (JsonNode policy : rules.path("policies")) {
      policies.add(
          new Policy(
              policy.path("type").asText(),
              policy.path("value").asInt(),
              Duration.ofSeconds(policy.path("periodSeconds").asLong())));
    }
    return new Rules(window, select, rules.has("policies") ? policies : defaults);
  }
}
