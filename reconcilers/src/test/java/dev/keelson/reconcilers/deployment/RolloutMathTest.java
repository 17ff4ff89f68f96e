package dev.keelson.reconcilers.deployment;

import static dev.keelson.reconcilers.deployment.Fixtures.deployment;
import static dev.keelson.reconcilers.deployment.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutMathTest {

  static int[] fenceposts(String surge, String unavailable, int desired) {
    return RolloutMath.resolveFenceposts(
        IntOrPercent.parse(new TextNode(surge), null),
        IntOrPercent.parse(new TextNode(unavailable), null),
        desired);
  }

  @Test
  void surgeRoundsUpAndUnavailableRoundsDown() {
    assertThat(fenceposts("25%", "25%", 10)).containsExactly(3, 2);
    assertThat(fenceposts("39%", "39%", 10)).containsExactly(4, 3);
    assertThat(fenceposts("25%", "25%", 3)).containsExactly(1, 0);
    assertThat(fenceposts("50%", "50%", 5)).containsExactly(3, 2);
  }

  @Test
  void bothFencepostsAtZeroLetOnePodBeUnavailable() {
    assertThat(fenceposts("0%", "0%", 0)).containsExactly(0, 1);
    assertThat(fenceposts("0%", "10%", 5)).containsExactly(0, 1);
    assertThat(RolloutMath.resolveFenceposts(IntOrPercent.of(0), IntOrPercent.of(0), 10))
        .containsExactly(0, 1);
  }

  @Test
  void countsAreTakenAsTheyAreAndOtherStringsAreRefused() {
    assertThat(IntOrPercent.parse(IntNode.valueOf(3), null).scaled(100, true)).isEqualTo(3);
    assertThatThrownBy(() -> IntOrPercent.parse(new TextNode("3"), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IntOrPercent.parse(new TextNode("oops%"), null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void maxUnavailableIsAtMostTheReplicasAndNoneWhenScaledToZero() {
    assertThat(deployment(3, 0, 5).maxUnavailableCount()).isEqualTo(3);
    assertThat(deployment(0, 1, 1).maxUnavailableCount()).isZero();
    assertThat(Fixtures.recreate(4).maxUnavailableCount()).isZero();
    assertThat(Fixtures.recreate(4).maxSurgeCount()).isZero();
  }

  @Test
  void theNewReplicaSetGrowsUpToReplicasPlusSurgeInAll() {
    DeploymentView d = deployment(10, 2, 0);
    ReplicaSetView newRS = rs("new", 0, Fixtures.NEWER);
    assertThat(
            RolloutMath.newReplicaSetReplicas(
                d, List.of(rs("old", 10, Fixtures.OLD), newRS), newRS))
        .isEqualTo(2);
    assertThat(
            RolloutMath.newReplicaSetReplicas(d, List.of(rs("old", 5, Fixtures.OLD), newRS), newRS))
        .isEqualTo(7);
    ReplicaSetView bigNew = rs("new", 9, Fixtures.NEWER);
    // never beyond the deployment's replicas
    assertThat(
            RolloutMath.newReplicaSetReplicas(
                d, List.of(rs("old", 0, Fixtures.OLD), bigNew), bigNew))
        .isEqualTo(10);
    assertThat(RolloutMath.newReplicaSetReplicas(Fixtures.recreate(4), List.of(newRS), newRS))
        .isEqualTo(4);
  }
}
