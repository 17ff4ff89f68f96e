package dev.keelson.reconcilers.podgc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodGcTest {

  static final Instant NOW = Instant.parse("2025-01-01T00:10:00Z");
  static final Duration QUARANTINE = Duration.ofSeconds(40);

  static JsonNode pod(String nodeName, String deletionTimestamp) {
    return Json.parseObject(
        "{\"metadata\":{\"name\":\"p\""
            + (deletionTimestamp == null
                ? ""
                : ",\"deletionTimestamp\":\"" + deletionTimestamp + "\"")
            + "},\"spec\":{\"nodeName\":\""
            + nodeName
            + "\"}}");
  }

  static JsonNode node(String ready) {
    return Json.parseObject(
        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + ready + "\"}]}}");
  }

  @Test
  void aPodOfAMissingNodeGoesAfterTheQuarantine() {
    assertThat(PodGc.decide(pod("gone", null), null, NOW.minusSeconds(10), QUARANTINE, NOW))
        .isEqualTo(new PodGc.Wait(Duration.ofSeconds(30)));
    assertThat(PodGc.decide(pod("gone", null), null, NOW.minusSeconds(40), QUARANTINE, NOW))
        .isEqualTo(new PodGc.ForceDelete("PodGC: node no longer exists"));
  }

  @Test
  void aTerminatingPodOnAnUnreachableNodeGoesOnceItsGraceIsOver() {
    JsonNode pod = pod("n", "2025-01-01T00:10:05Z");

    assertThat(PodGc.decide(pod, node("Unknown"), null, QUARANTINE, NOW))
        .isEqualTo(new PodGc.Wait(Duration.ofSeconds(5)));
    assertThat(PodGc.decide(pod, node("Unknown"), null, QUARANTINE, NOW.plusSeconds(5)))
        .isEqualTo(new PodGc.ForceDelete("PodGC: node is unreachable"));
  }

  @Test
  void anAgentThatIsThereFinishesItsOwnPods() {
    JsonNode terminating = pod("n", "2025-01-01T00:09:00Z");

    assertThat(PodGc.decide(terminating, node("True"), null, QUARANTINE, NOW))
        .isEqualTo(PodGc.KEEP);
    assertThat(PodGc.decide(terminating, node("False"), null, QUARANTINE, NOW))
        .isEqualTo(PodGc.KEEP);
    assertThat(PodGc.decide(pod("n", null), node("Unknown"), null, QUARANTINE, NOW))
        .as("a pod not being deleted is the taint eviction's to decide")
        .isEqualTo(PodGc.KEEP);
  }

  @Test
  void anUnscheduledPodIsNoneOfItsBusiness() {
    assertThat(PodGc.decide(pod("", null), null, NOW.minusSeconds(100), QUARANTINE, NOW))
        .isEqualTo(PodGc.KEEP);
  }
}
