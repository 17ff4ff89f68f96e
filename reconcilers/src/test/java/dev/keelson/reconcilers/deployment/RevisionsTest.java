package dev.keelson.reconcilers.deployment;

import static dev.keelson.reconcilers.deployment.Fixtures.OLD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsTest {

  static ReplicaSetView revision(String name, String revision, int replicas, int statusReplicas) {
    return new ReplicaSetView(
        name,
        "uid-" + name,
        OLD,
        replicas,
        statusReplicas,
        0,
        0,
        0,
        1,
        1,
        false,
        revision == null ? Map.of() : Map.of(ReplicaSetView.REVISION, revision),
        Json.object(),
        null);
  }

  static DeploymentView annotated(Map<String, String> annotations) {
    ObjectNode d = Json.object();
    d.with("metadata").put("name", "foo").put("uid", "d");
    annotations.forEach(d.with("metadata").with("annotations")::put);
    d.with("spec")
        .put("replicas", 4)
        .with("strategy")
        .put("type", "RollingUpdate")
        .with("rollingUpdate")
        .put("maxSurge", "25%")
        .put("maxUnavailable", "25%");
    return DeploymentView.of(d);
  }

  @Test
  void theMaxRevisionSkipsUnreadableOnes() {
    assertThat(
            Revisions.maxRevision(
                List.of(
                    revision("a", "3", 0, 0), revision("b", "x", 0, 0), revision("c", null, 0, 0))))
        .isEqualTo(3);
    assertThat(Revisions.maxRevision(List.of())).isZero();
  }

  @Test
  void aNewReplicaSetGetsTheDeploymentsAnnotationsButNotItsRevisionAndTheReplicaCounts() {
    DeploymentView d =
        annotated(
            Map.of(
                "kubernetes.io/change-cause",
                "kubectl set image deployment/foo c=v2",
                ReplicaSetView.REVISION,
                "1",
                "kubectl.kubernetes.io/last-applied-configuration",
                "{}"));
    Map<String, String> annotations = Revisions.newReplicaSetAnnotations(d, Map.of(), 2, false);
    assertThat(annotations)
        .containsEntry("kubernetes.io/change-cause", "kubectl set image deployment/foo c=v2")
        .containsEntry(ReplicaSetView.REVISION, "2")
        .containsEntry(ReplicaSetView.DESIRED_REPLICAS, "4")
        .containsEntry(ReplicaSetView.MAX_REPLICAS, "5")
        .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration")
        .doesNotContainKey(ReplicaSetView.REVISION_HISTORY);
  }

  @Test
  void rollingBackToAnOldReplicaSetRecordsItsEarlierRevisions() {
    DeploymentView d = annotated(Map.of());
    Map<String, String> once =
        Revisions.newReplicaSetAnnotations(d, Map.of(ReplicaSetView.REVISION, "1"), 3, true);
    assertThat(once)
        .containsEntry(ReplicaSetView.REVISION, "3")
        .containsEntry(ReplicaSetView.REVISION_HISTORY, "1")
        .doesNotContainKey(ReplicaSetView.DESIRED_REPLICAS);
    Map<String, String> twice = Revisions.newReplicaSetAnnotations(d, once, 5, true);
    assertThat(twice).containsEntry(ReplicaSetView.REVISION_HISTORY, "1,3");
    // a revision already the highest stays
    assertThat(Revisions.newReplicaSetAnnotations(d, twice, 5, true)).isEqualTo(twice);
  }

  @Test
  void theHistoryLimitDeletesTheLowestRevisionsThatAreEmpty() {
    List<ReplicaSetView> old =
        List.of(
            revision("r3", "3", 0, 0),
            revision("r1", "1", 0, 0),
            revision("r2", "2", 0, 0),
            revision("r4", "4", 0, 0));
    assertThat(Revisions.toDelete(old, 2))
        .extracting(ReplicaSetView::name)
        .containsExactly("r1", "r2");
    assertThat(Revisions.toDelete(old, 10)).isEmpty();
    assertThat(Revisions.toDelete(old, null)).isEmpty();
  }

  @Test
  void onlyReplicaSetsWithNoReplicasWantedNorRunningGo() {
    // upstream's cleanupDeployment case: only foo-1 (spec 0, status 0) goes
    List<ReplicaSetView> old =
        List.of(
            revision("foo-1", "1", 0, 0),
            revision("foo-2", "2", 0, 1),
            revision("foo-3", "3", 1, 0),
            revision("foo-4", "4", 1, 1));
    assertThat(Revisions.toDelete(old, 0))
        .extracting(ReplicaSetView::name)
        .containsExactly("foo-1");
  }

  @Test
  void equalRevisionsGoOldestFirst() {
    ReplicaSetView older =
        new ReplicaSetView(
            "b",
            "u1",
            Instant.parse("2020-01-01T00:00:00Z"),
            0,
            0,
            0,
            0,
            0,
            1,
            1,
            false,
            Map.of(),
            Json.object(),
            null);
    ReplicaSetView newer =
        new ReplicaSetView(
            "a",
            "u2",
            Instant.parse("2021-01-01T00:00:00Z"),
            0,
            0,
            0,
            0,
            0,
            1,
            1,
            false,
            Map.of(),
            Json.object(),
            null);
    assertThat(Revisions.toDelete(List.of(newer, older), 1))
        .extracting(ReplicaSetView::name)
        .containsExactly("b");
  }
}
