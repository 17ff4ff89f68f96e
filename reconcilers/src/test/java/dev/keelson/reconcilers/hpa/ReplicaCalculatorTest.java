package dev.keelson.reconcilers.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.reconcilers.hpa.ReplicaCalculator.Metric;
import dev.keelson.reconcilers.hpa.ReplicaCalculator.PodSample;
import dev.keelson.reconcilers.hpa.ReplicaCalculator.Proposal;
import dev.keelson.reconcilers.hpa.ReplicaCalculator.Readiness;
import dev.keelson.reconcilers.hpa.ReplicaCalculator.Result;
import dev.keelson.reconcilers.hpa.ReplicaCalculator.Unable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaCalculatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final ReplicaCalculator.Settings SETTINGS = ReplicaCalculator.Settings.DEFAULTS;

  /**
   * A pod running for an hour, ready for long, requesting {@code request}m, using {@code used}m.
   */
  private static PodSample running(String name, long request, Long used) {
    return new PodSample(
        name,
        "Running",
        false,
        new Readiness(true, NOW.minus(Duration.ofMinutes(50))),
        NOW.minus(Duration.ofHours(1)),
        request,
        null,
        used == null ? null : new Metric(used, NOW.minusSeconds(5), Duration.ofSeconds(10)));
  }

  private static List<PodSample> pods(int count, long request, Long used) {
    List<PodSample> pods = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pods.add(running("p" + i, request, used));
    }
    return pods;
  }

  private static Result utilization(int current, int target, List<PodSample> pods) {
    return ReplicaCalculator.utilization(current, target, pods, true, NOW, SETTINGS);
  }

  @Test
  void theCountScalesWithTheRatioOfUseToTarget() {
    // 3 pods at 70% of their request, target 30%: ratio 70/30, ceil(2.33 * 3) = 7.
    assertThat(utilization(3, 30, pods(3, 1000, 700L))).isEqualTo(new Proposal(7, 70, 700));
    // 5 pods at 10%, target 50%: ceil(0.2 * 5) = 1.
    assertThat(utilization(5, 50, pods(5, 100, 10L))).isEqualTo(new Proposal(1, 10, 10));
  }

  @Test
  void aChangeWithinTheToleranceIsNone() {
    // 52% against 50% is a ratio of 1.04: within 10%.
    assertThat(utilization(4, 50, pods(4, 100, 52L))).isEqualTo(new Proposal(4, 52, 52));
    // 56% is 1.12: outside, ceil(1.12 * 4) = 5.
    assertThat(utilization(4, 50, pods(4, 100, 56L))).isEqualTo(new Proposal(5, 56, 56));
  }

  @Test
  void onAScaleDownPodsWithoutMetricsCountAsUsingTheirWholeRequest() {
    List<PodSample> pods = pods(3, 100, 10L);
    pods.add(running("new", 100, null));
    // 10+10+10+100 of 400 is 32%, ratio 0.64: ceil(0.64 * 4) = 3, not the 1 the three alone ask.
    assertThat(utilization(4, 50, pods)).isEqualTo(new Proposal(3, 10, 10));
  }

  @Test
  void onAScaleUpPodsWithoutMetricsCountAsIdle() {
    List<PodSample> pods = pods(2, 100, 100L);
    pods.add(running("new-1", 100, null));
    pods.add(running("new-2", 100, null));
    // Alone the two busy pods (twice the target) ask for 4; with the two new ones counted idle
    // the average is the target: nothing more until the new pods report.
    assertThat(utilization(2, 50, pods)).isEqualTo(new Proposal(2, 100, 100));
  }

  @Test
  void missingMetricsThatWouldTurnTheDirectionChangeNothing() {
    List<PodSample> pods = pods(1, 100, 40L);
    pods.add(running("new", 100, null));
    // Alone, 40% of a 50% target scales down; counting the new pod at 100% (70%) would scale up.
    assertThat(utilization(2, 50, pods)).isEqualTo(new Proposal(2, 40, 40));
  }

  @Test
  void unreadyPodsCountAsIdleOnAScaleUpAndNotAtAllOtherwise() {
    PodSample pending = new PodSample("pending", "Pending", false, null, null, 100L, null, null);
    List<PodSample> up = pods(2, 100, 100L);
    up.add(pending);
    up.add(new PodSample("starting", "Pending", false, null, null, 100L, null, null));
    // As the missing ones above: the pending pods, counted idle, bring the average to the target.
    assertThat(utilization(2, 50, up)).isEqualTo(new Proposal(2, 100, 100));
    List<PodSample> down = pods(2, 100, 10L);
    down.add(pending);
    // Scaling down, the pending pod is left out: ceil(0.2 * 2) = 1.
    assertThat(((Proposal) utilization(3, 50, down)).replicas()).isEqualTo(1);
  }

  @Test
  void aFreshPodsCpuCountsOnlyOneWindowAfterItTurnedReady() {
    Instant readySince = NOW.minusSeconds(8);
    PodSample early =
        new PodSample(
            "early",
            "Running",
            false,
            new Readiness(true, readySince),
            NOW.minusSeconds(20),
            100L,
            null,
            new Metric(500, NOW.minusSeconds(1), Duration.ofSeconds(10)));
    List<PodSample> pods = pods(2, 100, 10L);
    pods.add(early);
    // The burst of the pod that just started is not trusted: the two others scale down to 1.
    assertThat(((Proposal) utilization(3, 50, pods)).replicas()).isEqualTo(1);
    PodSample settled =
        new PodSample(
            "settled",
            "Running",
            false,
            new Readiness(true, readySince),
            NOW.minusSeconds(20),
            100L,
            null,
            new Metric(500, NOW.minusSeconds(1), Duration.ofSeconds(5)));
    List<PodSample> later = pods(2, 100, 10L);
    later.add(settled);
    // 520 of 300 is 173%: ratio 3.46, ceil(3.46 * 3) = 11.
    assertThat(((Proposal) utilization(3, 50, later)).replicas()).isEqualTo(11);
  }

  @Test
  void deletedAndFailedPodsAreLeftOut() {
    List<PodSample> pods = pods(2, 100, 100L);
    pods.add(
        new PodSample(
            "gone",
            "Running",
            true,
            null,
            null,
            100L,
            null,
            new Metric(0, NOW, Duration.ofSeconds(10))));
    pods.add(
        new PodSample(
            "failed",
            "Failed",
            false,
            null,
            null,
            100L,
            null,
            new Metric(0, NOW, Duration.ofSeconds(10))));
    assertThat(utilization(4, 50, pods)).isEqualTo(new Proposal(4, 100, 100));
  }

  @Test
  void whatCannotBeComputedSaysWhy() {
    assertThat(utilization(1, 50, List.of()))
        .isEqualTo(new Unable("no pods returned by selector while calculating replica count"));
    assertThat(utilization(2, 50, pods(2, 100, null)))
        .isEqualTo(new Unable("no metrics returned from resource metrics API"));
    List<PodSample> noRequest = pods(1, 100, 50L);
    noRequest.add(
        new PodSample(
            "bare",
            "Running",
            false,
            null,
            null,
            null,
            "missing request for cpu in container" + " main of Pod bare",
            null));
    assertThat(utilization(2, 50, noRequest))
        .isEqualTo(new Unable("missing request for cpu in container main of Pod bare"));
    PodSample pending =
        new PodSample(
            "p",
            "Pending",
            false,
            null,
            null,
            100L,
            null,
            new Metric(5, NOW, Duration.ofSeconds(10)));
    assertThat(utilization(1, 50, List.of(pending)))
        .isEqualTo(new Unable("did not receive metrics for targeted pods (pods might be unready)"));
  }

  @Test
  void anAverageValueTargetComparesTheAverageUse() {
    // 200m on average against 100m: ceil(2 * 3) = 6.
    assertThat(ReplicaCalculator.averageValue(3, 100, pods(3, 100, 200L), true, NOW, SETTINGS))
        .isEqualTo(new Proposal(6, 0, 200));
    assertThat(ReplicaCalculator.averageValue(3, 100, pods(3, 100, 105L), true, NOW, SETTINGS))
        .isEqualTo(new Proposal(3, 0, 105));
    List<PodSample> pods = pods(2, 100, 20L);
    pods.add(running("new", 100, null));
    // Scaling down, the pod without metrics counts at the target: (20+20+100)/3 = 46, ratio 0.46.
    assertThat(
            ((Proposal) ReplicaCalculator.averageValue(3, 100, pods, true, NOW, SETTINGS))
                .replicas())
        .isEqualTo(2);
  }
}
