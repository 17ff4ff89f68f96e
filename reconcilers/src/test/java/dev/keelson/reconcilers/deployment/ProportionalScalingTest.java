package dev.keelson.reconcilers.deployment;

import static dev.keelson.reconcilers.deployment.Fixtures.NEWER;
import static dev.keelson.reconcilers.deployment.Fixtures.OLD;
import static dev.keelson.reconcilers.deployment.Fixtures.OLDER;
import static dev.keelson.reconcilers.deployment.Fixtures.deployment;
import static dev.keelson.reconcilers.deployment.Fixtures.sizedFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's TestScale cases (sync_test.go). */
class ProportionalScalingTest {

  /** A ReplicaSet sized when the deployment had {@code was} replicas and surge {@code surge}. */
  static ReplicaSetView rs(
      String name, int replicas, java.time.Instant created, int was, int surge) {
    return Fixtures.rs(name, replicas, created, replicas, sizedFor(was, surge));
  }

  /** The sizes after scaling: every ReplicaSet's, scaled or not. */
  static Map<String, Integer> scale(
      DeploymentView d, ReplicaSetView newRS, List<ReplicaSetView> old) {
    Map<String, Integer> sizes = new HashMap<>();
    List<ReplicaSetView> all = new ArrayList<>(old);
    if (newRS != null) {
      all.add(newRS);
    }
    all.forEach(rs -> sizes.put(rs.name(), rs.replicas()));
    for (Scale s : ProportionalScaling.scale(d, newRS, old)) {
      sizes.put(s.rs().name(), s.to());
    }
    return sizes;
  }

  @Test
  void aSingleActiveReplicaSetTakesTheWholeSize() {
    assertThat(scale(deployment(12, 0, 0), rs("foo-v1", 10, NEWER, 10, 0), List.of()))
        .containsEntry("foo-v1", 12);
    assertThat(scale(deployment(5, 0, 0), rs("foo-v1", 10, NEWER, 10, 0), List.of()))
        .containsEntry("foo-v1", 5);
  }

  @Test
  void twoReplicaSetsGrowAndShrinkInProportion() {
    assertThat(
            scale(
                deployment(10, 0, 0),
                rs("foo-v2", 2, NEWER, 5, 0),
                List.of(rs("foo-v1", 3, OLD, 5, 0))))
        .containsEntry("foo-v2", 4)
        .containsEntry("foo-v1", 6);
    assertThat(
            scale(
                deployment(3, 0, 0),
                rs("foo-v2", 2, NEWER, 5, 0),
                List.of(rs("foo-v1", 3, OLD, 5, 0))))
        .containsEntry("foo-v2", 1)
        .containsEntry("foo-v1", 2);
    assertThat(
            scale(
                deployment(4, 0, 0),
                rs("foo-v2", 8, NEWER, 9, 0),
                List.of(rs("foo-v1", 1, OLD, 9, 0))))
        .containsEntry("foo-v2", 4)
        .containsEntry("foo-v1", 0);
  }

  @Test
  void threeReplicaSetsShareAResize() {
    List<ReplicaSetView> old = List.of(rs("foo-v2", 3, OLD, 7, 0), rs("foo-v1", 2, OLDER, 7, 0));
    assertThat(scale(deployment(10, 0, 0), rs("foo-v3", 2, NEWER, 7, 0), old))
        .containsEntry("foo-v3", 3)
        .containsEntry("foo-v2", 4)
        .containsEntry("foo-v1", 3);
    List<ReplicaSetView> bigger =
        List.of(rs("foo-v2", 8, OLD, 13, 0), rs("foo-v1", 3, OLDER, 13, 0));
    assertThat(scale(deployment(8, 0, 0), rs("foo-v3", 2, NEWER, 13, 0), bigger))
        .containsEntry("foo-v3", 1)
        .containsEntry("foo-v2", 5)
        .containsEntry("foo-v1", 2);
  }

  @Test
  void leftoversGoToTheNewestWhenGrowingAndTheOldestWhenShrinking() {
    List<ReplicaSetView> old = List.of(rs("foo-v2", 1, OLD, 3, 0), rs("foo-v1", 1, OLDER, 3, 0));
    assertThat(scale(deployment(4, 0, 0), rs("foo-v3", 1, NEWER, 3, 0), old))
        .containsEntry("foo-v3", 2)
        .containsEntry("foo-v2", 1)
        .containsEntry("foo-v1", 1);
    assertThat(scale(deployment(2, 0, 0), rs("foo-v3", 1, NEWER, 3, 0), old))
        .containsEntry("foo-v3", 1)
        .containsEntry("foo-v2", 1)
        .containsEntry("foo-v1", 0);
    List<ReplicaSetView> noNew = List.of(rs("foo-v2", 2, OLD, 4, 0), rs("foo-v1", 2, OLDER, 4, 0));
    assertThat(scale(deployment(5, 0, 0), null, noNew))
        .containsEntry("foo-v2", 3)
        .containsEntry("foo-v1", 2);
  }

  @Test
  void scalingToZeroEmptiesEveryReplicaSetAndFromZeroFillsTheNewest() {
    List<ReplicaSetView> old = List.of(rs("foo-v2", 2, OLD, 6, 0), rs("foo-v1", 1, OLDER, 6, 0));
    assertThat(scale(deployment(0, 0, 0), rs("foo-v3", 3, NEWER, 6, 0), old))
        .containsEntry("foo-v3", 0)
        .containsEntry("foo-v2", 0)
        .containsEntry("foo-v1", 0);
    List<ReplicaSetView> empty = List.of(rs("foo-v2", 0, OLD, 6, 0), rs("foo-v1", 0, OLDER, 6, 0));
    assertThat(scale(deployment(6, 0, 0), rs("foo-v3", 0, NEWER, 6, 0), empty))
        .containsEntry("foo-v3", 6)
        .containsEntry("foo-v2", 0)
        .containsEntry("foo-v1", 0);
  }

  @Test
  void surgePodsAreSharedToo() {
    assertThat(
            scale(
                deployment(20, 2, 0),
                rs("foo-v2", 6, NEWER, 10, 2),
                List.of(rs("foo-v1", 6, OLD, 10, 2))))
        .containsEntry("foo-v2", 11)
        .containsEntry("foo-v1", 11);
    assertThat(
            scale(
                deployment(50, 6, 0),
                rs("foo-v2", 5, NEWER, 10, 3),
                List.of(rs("foo-v1", 8, OLD, 10, 3))))
        .containsEntry("foo-v2", 22)
        .containsEntry("foo-v1", 34);
  }

  @Test
  void aSaturatedButBrokenNewReplicaSetLeavesTheOldPodsAlone() {
    ReplicaSetView broken = Fixtures.rs("foo-v2", 2, NEWER, 0, sizedFor(2, 1));
    assertThat(scale(deployment(2, 1, 1), broken, List.of(rs("foo-v1", 1, OLD, 2, 1))))
        .containsEntry("foo-v2", 2)
        .containsEntry("foo-v1", 1);
  }

  @Test
  void aSaturatedNewReplicaSetScalesTheOldOnesToZero() {
    ReplicaSetView saturated = Fixtures.rs("foo-v2", 3, NEWER, 3, sizedFor(3, 0));
    assertThat(scale(deployment(3, 0, 0), saturated, List.of(rs("foo-v1", 1, OLD, 3, 0))))
        .containsEntry("foo-v1", 0)
        .containsEntry("foo-v2", 3);
  }

  @Test
  void aScalingEventIsAnActiveReplicaSetSizedForAnotherReplicaCount() {
    ReplicaSetView sized = rs("foo-v2", 2, NEWER, 5, 0);
    ReplicaSetView idle = rs("foo-v1", 0, OLD, 3, 0);
    assertThat(
            DeploymentSync.scalingEvent(
                deployment(5, 0, 0), new DeploymentSync.Sets(sized, List.of(idle))))
        .isFalse();
    assertThat(
            DeploymentSync.scalingEvent(
                deployment(6, 0, 0), new DeploymentSync.Sets(sized, List.of(idle))))
        .isTrue();
  }
}
