package dev.keelson.reconcilers.replicaset;

import static dev.keelson.reconcilers.replicaset.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSetStatusTest {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  static ObjectNode replicaSet(int minReadySeconds) {
    ObjectNode rs = Json.object();
    rs.with("metadata").put("name", "web").put("generation", 4);
    rs.with("spec").put("replicas", 3).put("minReadySeconds", minReadySeconds);
    rs.with("spec")
        .with("template")
        .with("metadata")
        .with("labels")
        .put("app", "web")
        .put("tier", "front");
    return rs;
  }

  @Test
  void countsReplicasFullyLabeledReadyAndAvailable() {
    List<JsonNode> pods =
        List.of(
            pod("a").label("app", "web").label("tier", "front").ready(NOW.minusSeconds(60)).build(),
            pod("b").label("app", "web").ready(NOW.minusSeconds(2)).build(),
            pod("c").label("app", "web").label("tier", "front").notReady().build());
    ObjectNode status = ReplicaSetStatus.calculate(replicaSet(10), pods, null, false, NOW);
    assertThat(status.path("replicas").asInt()).isEqualTo(3);
    assertThat(status.path("fullyLabeledReplicas").asInt()).isEqualTo(2);
    assertThat(status.path("readyReplicas").asInt()).isEqualTo(2);
    // b has been ready for 2 s of the 10 minReadySeconds
    assertThat(status.path("availableReplicas").asInt()).isEqualTo(1);
    assertThat(status.path("observedGeneration").asLong()).isEqualTo(4);
  }

  @Test
  void zeroCountsAreLeftOutButReplicasIsAlwaysThere() {
    ObjectNode status = ReplicaSetStatus.calculate(replicaSet(0), List.of(), null, false, NOW);
    assertThat(status.has("replicas")).isTrue();
    assertThat(status.path("replicas").asInt()).isZero();
    assertThat(status.has("readyReplicas")).isFalse();
    assertThat(status.has("availableReplicas")).isFalse();
  }

  @Test
  void aFailedCreateIsAReplicaFailureUntilASyncSucceeds() {
    ObjectNode rs = replicaSet(0);
    ObjectNode failed = ReplicaSetStatus.calculate(rs, List.of(), "quota exceeded", true, NOW);
    JsonNode condition = failed.path("conditions").get(0);
    assertThat(condition.path("type").asText()).isEqualTo("ReplicaFailure");
    assertThat(condition.path("reason").asText()).isEqualTo("FailedCreate");
    assertThat(condition.path("message").asText()).isEqualTo("quota exceeded");
    rs.set("status", failed);
    assertThat(
            ReplicaSetStatus.changed(
                rs, ReplicaSetStatus.calculate(rs, List.of(), "again", true, NOW)))
        .isFalse();
    ObjectNode recovered = ReplicaSetStatus.calculate(rs, List.of(), null, false, NOW);
    assertThat(recovered.has("conditions")).isFalse();
  }

  @Test
  void theNextAvailabilityIsWhenTheEarliestReadyPodHasBeenReadyLongEnough() {
    List<JsonNode> pods =
        List.of(
            pod("a").ready(NOW.minusSeconds(3)).build(),
            pod("b").ready(NOW.minusSeconds(7)).build(),
            pod("c").ready(NOW.minusSeconds(30)).build(),
            pod("d").notReady().build());
    assertThat(ReplicaSetStatus.nextAvailable(pods, 10, NOW)).contains(Duration.ofSeconds(3));
    assertThat(ReplicaSetStatus.nextAvailable(pods, 0, NOW)).isEmpty();
  }

  @Test
  void podsBeingDeletedOrFinishedAreNotActive() {
    assertThat(PodStates.active(pod("p").build())).isTrue();
    assertThat(PodStates.active(pod("p").deleting().build())).isFalse();
    assertThat(PodStates.active(pod("p").phase("Failed").build())).isFalse();
    assertThat(PodStates.active(pod("p").phase("Succeeded").build())).isFalse();
  }
}
