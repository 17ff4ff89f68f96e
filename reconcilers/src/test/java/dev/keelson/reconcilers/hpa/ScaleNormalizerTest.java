package dev.keelson.reconcilers.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.reconcilers.hpa.ScaleNormalizer.Normalized;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScaleNormalizerTest {

  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(5);

  private static Normalized plain(ScalingHistory history, int current, int desired, Instant at) {
    return ScaleNormalizer.normalize(history, current, desired, 2, 10, WINDOW, at);
  }

  @Test
  void withoutABehaviorAScaleUpAtMostDoublesOrAddsFour() {
    Normalized normalized = plain(new ScalingHistory(), 2, 9, T0);
    assertThat(normalized.replicas()).isEqualTo(4);
    assertThat(normalized.scalingLimited())
        .isEqualTo(
            new ScaleNormalizer.Condition(
                "True",
                "ScaleUpLimit",
                "the desired replica count is increasing faster than the maximum scale rate"));
    assertThat(plain(new ScalingHistory(), 6, 11, T0).replicas()).isEqualTo(10);
    assertThat(plain(new ScalingHistory(), 6, 11, T0).scalingLimited().reason())
        .isEqualTo("TooManyReplicas");
    assertThat(plain(new ScalingHistory(), 4, 6, T0).scalingLimited())
        .isEqualTo(
            new ScaleNormalizer.Condition(
                "False", "DesiredWithinRange", "the desired count is within the acceptable range"));
  }

  @Test
  void theCountStaysWithinMinAndMax() {
    Normalized normalized = plain(new ScalingHistory(), 3, 1, T0);
    assertThat(normalized.replicas()).isEqualTo(2);
    assertThat(normalized.scalingLimited().reason()).isEqualTo("TooFewReplicas");
    assertThat(normalized.scalingLimited().status()).isEqualTo("True");
  }

  @Test
  void aScaleDownWaitsForTheHighestRecommendationOfTheWindowToAge() {
    ScalingHistory history = new ScalingHistory();
    history.recordInitial(5, T0);
    assertThat(plain(history, 5, 8, T0.plusSeconds(15)).replicas()).isEqualTo(8);
    Normalized held = plain(history, 8, 2, T0.plusSeconds(30));
    assertThat(held.replicas()).as("8 was asked 15 s ago").isEqualTo(8);
    assertThat(held.ableToScale().reason()).isEqualTo("ScaleDownStabilized");
    assertThat(plain(history, 8, 2, T0.plusSeconds(200)).replicas()).isEqualTo(8);
    Normalized released = plain(history, 8, 2, T0.plusSeconds(316));
    assertThat(released.replicas()).as("the window holds only lower ones").isEqualTo(2);
    assertThat(released.ableToScale())
        .isEqualTo(
            new ScaleNormalizer.Condition(
                "True", "ReadyForNewScale", "recommended size matches current size"));
    assertThat(history.recommendations().size())
        .as("aged recommendations are replaced, not kept")
        .isLessThanOrEqualTo(4);
  }

  private static Behavior behavior(String json) {
    return Behavior.of(Json.parseObject("{\"behavior\":" + json + "}"), WINDOW);
  }

  @Test
  void theDefaultBehaviorAddsFourPodsOrDoublesPer15Seconds() {
    Behavior defaults = behavior("{}");
    assertThat(defaults.scaleDown().stabilizationWindow()).isEqualTo(WINDOW);
    assertThat(defaults.scaleUp().stabilizationWindow()).isZero();
    ScalingHistory history = new ScalingHistory();
    // From 3: +4 is 7, doubling is 6; Max picks 7.
    Normalized up = ScaleNormalizer.normalize(defaults, history, 3, 20, 1, 20, T0);
    assertThat(up.replicas()).isEqualTo(7);
    assertThat(up.scalingLimited().reason()).isEqualTo("ScaleUpLimit");
    ScaleNormalizer.scaled(defaults, history, 3, 7, T0);
    // 5 s later the period still counts the 4 added: from its start (3), still at most 7.
    assertThat(
            ScaleNormalizer.normalize(defaults, history, 7, 20, 1, 20, T0.plusSeconds(5))
                .replicas())
        .isEqualTo(7);
    assertThat(
            ScaleNormalizer.normalize(defaults, history, 7, 20, 1, 20, T0.plusSeconds(16))
                .replicas())
        .as("a new period: 7 doubles to 14")
        .isEqualTo(14);
  }

  @Test
  void scaleDownPoliciesBoundThePodsRemovedPerPeriod() {
    Behavior oneAMinute =
        behavior(
            "{\"scaleDown\":{\"stabilizationWindowSeconds\":0,\"policies\":"
                + "[{\"type\":\"Pods\",\"value\":1,\"periodSeconds\":60}]}}");
    ScalingHistory history = new ScalingHistory();
    Normalized first = ScaleNormalizer.normalize(oneAMinute, history, 5, 2, 1, 10, T0);
    assertThat(first.replicas()).isEqualTo(4);
    assertThat(first.scalingLimited().reason()).isEqualTo("ScaleDownLimit");
    ScaleNormalizer.scaled(oneAMinute, history, 5, 4, T0);
    assertThat(
            ScaleNormalizer.normalize(oneAMinute, history, 4, 2, 1, 10, T0.plusSeconds(30))
                .replicas())
        .isEqualTo(4);
    assertThat(
            ScaleNormalizer.normalize(oneAMinute, history, 4, 2, 1, 10, T0.plusSeconds(61))
                .replicas())
        .isEqualTo(3);
  }

  @Test
  void aDisabledDirectionNeverScales() {
    Behavior noDown = behavior("{\"scaleDown\":{\"selectPolicy\":\"Disabled\"}}");
    assertThat(ScaleNormalizer.normalize(noDown, new ScalingHistory(), 5, 1, 1, 10, T0).replicas())
        .isEqualTo(5);
  }

  @Test
  void aScaleUpWindowTakesTheLowestRecentRecommendation() {
    JsonNode spec =
        Json.parseObject(
            "{\"behavior\":{\"scaleUp\":{\"stabilizationWindowSeconds\":60},"
                + "\"scaleDown\":{\"stabilizationWindowSeconds\":0}}}");
    Behavior slowUp = Behavior.of(spec, WINDOW);
    ScalingHistory history = new ScalingHistory();
    history.recordInitial(2, T0);
    Normalized held = ScaleNormalizer.normalize(slowUp, history, 2, 6, 1, 10, T0.plusSeconds(10));
    assertThat(held.replicas()).isEqualTo(2);
    assertThat(held.ableToScale().reason()).isEqualTo("ScaleUpStabilized");
    assertThat(
            ScaleNormalizer.normalize(slowUp, history, 2, 6, 1, 10, T0.plusSeconds(65)).replicas())
        .as("only 6 was asked within the last minute")
        .isEqualTo(6);
  }
}
