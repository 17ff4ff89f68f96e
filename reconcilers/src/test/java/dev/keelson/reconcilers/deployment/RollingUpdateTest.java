package dev.keelson.reconcilers.deployment;

import static dev.keelson.reconcilers.deployment.Fixtures.NEWER;
import static dev.keelson.reconcilers.deployment.Fixtures.OLD;
import static dev.keelson.reconcilers.deployment.Fixtures.OLDER;
import static dev.keelson.reconcilers.deployment.Fixtures.deployment;
import static dev.keelson.reconcilers.deployment.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Upstream's rolling_test.go cases, and a whole rollout played out step by step. */
class RollingUpdateTest {

  @ParameterizedTest(name = "replicas {0}, surge {1}, old {2}, new {3} -> {4}")
  @CsvSource({
    // replicas, maxSurge, old, new, expected new (-1: no scale)
    "10, 0, 10, 0, -1",
    "10, 2, 10, 0, 2",
    "10, 2, 5, 0, 7",
    "10, 2, 10, 2, -1",
    "10, 2, 2, 11, 10",
  })
  void reconcileNewReplicaSet(int replicas, int surge, int old, int current, int expected) {
    DeploymentView d = deployment(replicas, surge, 0);
    ReplicaSetView newRS = rs("foo-v2", current, NEWER);
    List<ReplicaSetView> all = List.of(newRS, rs("foo-v1", old, OLD));
    Optional<Scale> scale = RollingUpdate.reconcileNewReplicaSet(d, all, newRS);
    if (expected < 0) {
      assertThat(scale).isEmpty();
    } else {
      assertThat(scale).map(Scale::to).contains(expected);
    }
  }

  @ParameterizedTest(
      name = "replicas {0}, unavailable {1}, old {2} ({4} ready), new {3} ({5} ready) -> {6}")
  @CsvSource({
    // replicas, maxUnavailable, old, new, old available, new available, expected old (-1: none)
    "10, 0, 10, 0, 10, 0, 9",
    "10, 2, 10, 0, 10, 0, 8",
    "10, 2, 10, 0, 8, 0, 8",
    "10, 2, 10, 0, 9, 0, 8",
    "10, 2, 8, 2, 8, 0, -1",
  })
  void reconcileOldReplicaSets(
      int replicas,
      int unavailable,
      int old,
      int current,
      int oldReady,
      int newReady,
      int expected) {
    DeploymentView d = deployment(replicas, 0, unavailable);
    ReplicaSetView newRS = rs("foo-new", current, NEWER, newReady, Map.of());
    ReplicaSetView oldRS = rs("foo-old", old, OLD, oldReady, Map.of());
    List<Scale> scales =
        RollingUpdate.reconcileOldReplicaSets(d, List.of(oldRS, newRS), List.of(oldRS), newRS);
    if (expected < 0) {
      assertThat(scales).isEmpty();
    } else {
      assertThat(scales).isNotEmpty();
      assertThat(scales.get(scales.size() - 1).to()).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0} replicas, {1} ready, cleanup at most {2} -> {3}")
  @CsvSource({"10, 8, 1, 1", "10, 8, 3, 2", "10, 8, 0, 0", "10, 10, 3, 0"})
  void cleanupUnhealthyReplicas(int replicas, int ready, int max, int cleaned) {
    ReplicaSetView old = rs("foo-v2", replicas, OLD, ready, Map.of());
    RollingUpdate.Cleanup cleanup = RollingUpdate.cleanupUnhealthyReplicas(List.of(old), max);
    assertThat(cleanup.scales().stream().mapToInt(s -> s.rs().replicas() - s.to()).sum())
        .isEqualTo(cleaned);
  }

  @ParameterizedTest(name = "replicas {0}, unavailable {1}, {2} ready of old {3} -> {4}")
  @CsvSource({
    "10, 0, 10, 10, 9",
    "10, 2, 10, 10, 8",
    "10, 2, 8, 10, -1",
    "10, 2, 10, 0, -1",
    "10, 2, 1, 10, -1",
  })
  void scaleDownOldReplicaSets(int replicas, int unavailable, int ready, int old, int expected) {
    DeploymentView d = deployment(replicas, 0, unavailable);
    ReplicaSetView oldRS = rs("foo-v2", old, OLD, ready, Map.of());
    List<Scale> scales = RollingUpdate.scaleDownOldReplicaSets(d, List.of(oldRS), List.of(oldRS));
    if (expected < 0) {
      assertThat(scales).isEmpty();
    } else {
      assertThat(scales).extracting(Scale::to).containsExactly(expected);
    }
  }

  @Test
  void theOldestOldReplicaSetShrinksFirst() {
    DeploymentView d = deployment(4, 0, 2);
    ReplicaSetView older = rs("foo-v1", 2, OLDER, 2, Map.of());
    ReplicaSetView old = rs("foo-v2", 2, OLD, 2, Map.of());
    ReplicaSetView newRS = rs("foo-v3", 0, NEWER);
    List<Scale> scales =
        RollingUpdate.reconcileOldReplicaSets(
            d, List.of(old, older, newRS), List.of(old, older), newRS);
    assertThat(scales).extracting(s -> s.rs().name()).containsExactly("foo-v1");
    assertThat(scales).extracting(Scale::to).containsExactly(0);
  }

  @Test
  void anOldReplicaSetReportingMoreAvailableThanItWantsStopsTheScaleDown() {
    DeploymentView d = deployment(10, 0, 2);
    ReplicaSetView stale = rs("foo-v1", 8, OLD, 10, Map.of());
    ReplicaSetView newRS = rs("foo-v2", 2, NEWER, 2, Map.of());
    assertThat(
            RollingUpdate.reconcileOldReplicaSets(d, List.of(stale, newRS), List.of(stale), newRS))
        .isEmpty();
  }

  /**
   * 4 replicas, maxSurge 1, maxUnavailable 1 (as 25% of 4 gives): played out with pods that become
   * available at once, the rollout never has fewer than 3 available nor more than 5 pods, and ends
   * with the new ReplicaSet at 4 and the old at 0.
   */
  @Test
  void aWholeRolloutStaysWithinItsBounds() {
    DeploymentView d = deployment(4, "25%", "25%");
    ReplicaSetView old = rs("foo-v1", 4, OLD, 4, Map.of());
    ReplicaSetView newRS = rs("foo-v2", 0, NEWER);
    int steps = 0;
    for (; steps < 20; steps++) {
      List<ReplicaSetView> all = List.of(old, newRS);
      Optional<Scale> up = RollingUpdate.reconcileNewReplicaSet(d, all, newRS);
      if (up.isPresent()) {
        newRS = newRS.withReplicas(up.get().to());
      } else {
        List<Scale> down =
            RollingUpdate.reconcileOldReplicaSets(d, all, RolloutMath.active(List.of(old)), newRS);
        if (down.isEmpty()) {
          break;
        }
        old = old.withReplicas(down.get(down.size() - 1).to());
      }
      // right after the step: deleted pods are gone, new pods not available yet
      int availableNow =
          Math.min(old.availableReplicas(), old.replicas())
              + Math.min(newRS.availableReplicas(), newRS.replicas());
      assertThat(old.replicas() + newRS.replicas()).isLessThanOrEqualTo(5);
      assertThat(availableNow).isGreaterThanOrEqualTo(3);
      // then every pod becomes available, and the ReplicaSets report it
      newRS = rs(newRS.name(), newRS.replicas(), NEWER, newRS.replicas(), Map.of());
      old = rs(old.name(), old.replicas(), OLD, old.replicas(), Map.of());
    }
    assertThat(steps).isLessThan(20);
    assertThat(newRS.replicas()).isEqualTo(4);
    assertThat(old.replicas()).isZero();
  }
}
