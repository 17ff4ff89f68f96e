package dev.keelson.reconcilers.deployment;

import static dev.keelson.reconcilers.deployment.Fixtures.NEWER;
import static dev.keelson.reconcilers.deployment.Fixtures.OLD;
import static dev.keelson.reconcilers.deployment.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentStatusTest {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  static ObjectNode progressing(String reason, Instant lastUpdate) {
    ObjectNode status = Json.object();
    status.put("replicas", 4).put("updatedReplicas", 2).put("availableReplicas", 3);
    DeploymentConditions.set(
        status,
        DeploymentConditions.condition(
            DeploymentConditions.PROGRESSING, "True", reason, "m", lastUpdate.toString()));
    return status;
  }

  @Test
  void countsComeFromTheReplicaSetsAndAvailabilityFromMaxUnavailable() {
    DeploymentView d = deployment(4, 1, 1);
    ReplicaSetView newRS = Fixtures.rs("new", 2, NEWER, 1, Map.of());
    ReplicaSetView old = Fixtures.rs("old", 2, OLD, 2, Map.of());
    ObjectNode status =
        DeploymentStatus.calculate(d, Json.object(), List.of(old, newRS), newRS, NOW);
    assertThat(status.path("replicas").asInt()).isEqualTo(4);
    assertThat(status.path("updatedReplicas").asInt()).isEqualTo(2);
    assertThat(status.path("availableReplicas").asInt()).isEqualTo(3);
    assertThat(status.path("unavailableReplicas").asInt()).isEqualTo(1);
    assertThat(status.path("observedGeneration").asLong()).isEqualTo(1);
    JsonNode available = DeploymentConditions.get(status, DeploymentConditions.AVAILABLE);
    assertThat(available.path("status").asText()).isEqualTo("True");
    assertThat(available.path("reason").asText()).isEqualTo("MinimumReplicasAvailable");

    ReplicaSetView down = Fixtures.rs("old", 2, OLD, 0, Map.of());
    ObjectNode worse = DeploymentStatus.calculate(d, status, List.of(down, newRS), newRS, NOW);
    available = DeploymentConditions.get(worse, DeploymentConditions.AVAILABLE);
    assertThat(available.path("status").asText()).isEqualTo("False");
    assertThat(available.path("reason").asText()).isEqualTo("MinimumReplicasUnavailable");
  }

  @Test
  void aCompleteRolloutSaysTheNewReplicaSetProgressedAndZerosAreLeftOut() {
    DeploymentView d = deployment(3, 1, 0);
    ReplicaSetView newRS = Fixtures.rs("foo-abc", 3, NEWER, 3, Map.of());
    ObjectNode status =
        DeploymentStatus.rollout(
            d, progressing("ReplicaSetUpdated", NOW.minusSeconds(5)), List.of(newRS), newRS, NOW);
    JsonNode c = DeploymentConditions.get(status, DeploymentConditions.PROGRESSING);
    assertThat(c.path("reason").asText()).isEqualTo("NewReplicaSetAvailable");
    assertThat(c.path("message").asText())
        .isEqualTo("ReplicaSet \"foo-abc\" has successfully progressed.");
    assertThat(status.has("unavailableReplicas")).isFalse();
    assertThat(DeploymentStatus.complete(d, status)).isTrue();
  }

  @Test
  void progressRefreshesTheConditionsUpdateTimeButNotItsTransition() {
    DeploymentView d = deployment(4, 1, 1);
    Instant earlier = NOW.minusSeconds(100);
    ObjectNode before = progressing("NewReplicaSetCreated", earlier);
    ReplicaSetView newRS = Fixtures.rs("new", 3, NEWER, 3, Map.of());
    ReplicaSetView old = Fixtures.rs("old", 1, OLD, 1, Map.of());
    ObjectNode after = DeploymentStatus.rollout(d, before, List.of(old, newRS), newRS, NOW);
    JsonNode c = DeploymentConditions.get(after, DeploymentConditions.PROGRESSING);
    assertThat(c.path("reason").asText()).isEqualTo("ReplicaSetUpdated");
    assertThat(c.path("lastUpdateTime").asText()).isEqualTo(NOW.toString());
    assertThat(c.path("lastTransitionTime").asText()).isEqualTo(earlier.toString());
  }

  @Test
  void noProgressPastTheDeadlineTimesOutAndIsLookedAtAgainBeforeThat() {
    DeploymentView d = deployment(4, 1, 1); // progressDeadlineSeconds 600
    ReplicaSetView newRS = Fixtures.rs("new", 2, NEWER, 1, Map.of());
    ReplicaSetView old = Fixtures.rs("old", 2, OLD, 2, Map.of());
    ObjectNode recent = progressing("ReplicaSetUpdated", NOW.minusSeconds(100));
    recent
        .put("replicas", 4)
        .put("updatedReplicas", 2)
        .put("readyReplicas", 3)
        .put("availableReplicas", 3);
    ObjectNode same = DeploymentStatus.rollout(d, recent, List.of(old, newRS), newRS, NOW);
    assertThat(DeploymentConditions.reason(same, DeploymentConditions.PROGRESSING))
        .isEqualTo("ReplicaSetUpdated");
    assertThat(DeploymentStatus.recheckAfter(d, recent, same, NOW))
        .contains(Duration.ofSeconds(501));

    ObjectNode stale = progressing("ReplicaSetUpdated", NOW.minusSeconds(601));
    stale
        .put("replicas", 4)
        .put("updatedReplicas", 2)
        .put("readyReplicas", 3)
        .put("availableReplicas", 3);
    ObjectNode timedOut = DeploymentStatus.rollout(d, stale, List.of(old, newRS), newRS, NOW);
    JsonNode c = DeploymentConditions.get(timedOut, DeploymentConditions.PROGRESSING);
    assertThat(c.path("status").asText()).isEqualTo("False");
    assertThat(c.path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(c.path("message").asText())
        .isEqualTo("ReplicaSet \"new\" has timed out progressing.");
  }

  @Test
  void theSameConditionAgainChangesNothing() {
    ObjectNode status = Json.object();
    ObjectNode first =
        DeploymentConditions.condition(
            "Available", "True", "MinimumReplicasAvailable", "m", "2026-01-01T00:00:00Z");
    DeploymentConditions.set(status, first);
    DeploymentConditions.set(
        status,
        DeploymentConditions.condition(
            "Available", "True", "MinimumReplicasAvailable", "m", "2026-02-01T00:00:00Z"));
    assertThat(DeploymentConditions.get(status, "Available").path("lastUpdateTime").asText())
        .isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void recreateWaitsWhileAnOldPodRuns() {
    // scaled to 0, but still counting a pod
    ReplicaSetView old =
        new ReplicaSetView(
            "old", "uid-old", OLD, 0, 1, 0, 0, 0, 2, 1, false, Map.of(), Json.object(), null);
    ReplicaSetView empty =
        new ReplicaSetView(
            "old", "uid-old", OLD, 0, 0, 0, 0, 0, 1, 1, false, Map.of(), Json.object(), null);
    ObjectNode terminating =
        Json.parseObject(
            """
            {"metadata":{"name":"p","deletionTimestamp":"2026-01-01T00:00:00Z",
              "ownerReferences":[{"kind":"ReplicaSet","name":"old","uid":"uid-old","controller":true}]},
             "status":{"phase":"Running"}}
            """);
    assertThat(Recreate.oldPodsRunning(null, List.of(old), List.of())).isTrue();
    assertThat(Recreate.oldPodsRunning(null, List.of(empty), List.of(terminating))).isTrue();
    terminating.with("status").put("phase", "Succeeded");
    assertThat(Recreate.oldPodsRunning(null, List.of(empty), List.of(terminating))).isFalse();
  }
}
