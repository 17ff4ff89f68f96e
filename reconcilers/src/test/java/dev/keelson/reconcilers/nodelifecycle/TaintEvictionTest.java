package dev.keelson.reconcilers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaintEvictionTest {

  static final Instant ADDED = Instant.parse("2025-01-01T00:00:00Z");
  static final Instant FIRST_SEEN = Instant.parse("2025-01-01T01:00:00Z");
  static final Duration DEFAULT = Duration.ofSeconds(300);

  static final String UNREACHABLE =
      "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\","
          + "\"timeAdded\":\"2025-01-01T00:00:00Z\"}";

  static Optional<Instant> when(String tolerations, String taints) {
    return TaintEviction.evictionTime(
        Json.parseObject("{\"t\":" + tolerations + "}").get("t"),
        Json.parseObject("{\"t\":" + taints + "}").get("t"),
        DEFAULT,
        taint -> {
          Instant added = Times.parse(taint.path("timeAdded").asText(null));
          return added != null ? added : FIRST_SEEN;
        });
  }

  @Test
  void aPodGoesWhenItsTolerationSecondsRunOutFromWhenTheTaintWasAdded() {
    String tolerations =
        "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
            + "\"effect\":\"NoExecute\",\"tolerationSeconds\":30}]";

    assertThat(when(tolerations, "[" + UNREACHABLE + "]")).contains(ADDED.plusSeconds(30));
  }

  @Test
  void aPodWithoutAWordOnNodeProblemsGetsThePodEvictionTimeout() {
    assertThat(when("[]", "[" + UNREACHABLE + "]")).contains(ADDED.plus(DEFAULT));
  }

  @Test
  void aTolerationWithoutSecondsToleratesForever() {
    assertThat(when("[{\"operator\":\"Exists\"}]", "[" + UNREACHABLE + "]")).isEmpty();
  }

  @Test
  void anUntoleratedTaintEvictsAtOnce() {
    String dedicated = "{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoExecute\"}";
    String tolerations =
        "[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"web\",\"effect\":\"NoExecute\"}]";

    Optional<Instant> due = when(tolerations, "[" + UNREACHABLE + "," + dedicated + "]");

    assertThat(due).isPresent();
    assertThat(due.get()).isBefore(ADDED);
  }

  @Test
  void theShortestTolerationInUseDecidesAndNoExecuteOnlyCounts() {
    String dedicated = "{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoExecute\"}";
    String noSchedule = "{\"key\":\"other\",\"effect\":\"NoSchedule\"}";
    String tolerations =
        "[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"db\",\"tolerationSeconds\":60},"
            + "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"tolerationSeconds\":600}]";

    // The taint without timeAdded counts from when it was first seen, after the other one.
    assertThat(when(tolerations, "[" + UNREACHABLE + "," + dedicated + "," + noSchedule + "]"))
        .contains(ADDED.plusSeconds(60));
  }

  @Test
  void zeroOrNegativeTolerationSecondsMeanNow() {
    String tolerations =
        "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"tolerationSeconds\":-5}]";

    assertThat(when(tolerations, "[" + UNREACHABLE + "]").get()).isBefore(ADDED);
  }

  @Test
  void aNodeWithoutNoExecuteTaintsEvictsNoOne() {
    assertThat(when("[]", "[{\"key\":\"x\",\"effect\":\"NoSchedule\"}]")).isEmpty();
    assertThat(when("[]", "[]")).isEmpty();
  }

  @Test
  void tolerationMatchingFollowsUpstream() {
    JsonNode taint = Json.parseObject("{\"key\":\"k\",\"value\":\"v\",\"effect\":\"NoExecute\"}");

    assertThat(TaintEviction.tolerates(Json.parseObject("{\"operator\":\"Exists\"}"), taint))
        .isTrue();
    assertThat(TaintEviction.tolerates(Json.parseObject("{\"key\":\"k\",\"value\":\"v\"}"), taint))
        .isTrue();
    assertThat(TaintEviction.tolerates(Json.parseObject("{\"key\":\"k\",\"value\":\"w\"}"), taint))
        .isFalse();
    assertThat(
            TaintEviction.tolerates(
                Json.parseObject(
                    "{\"key\":\"k\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}"),
                taint))
        .isFalse();
  }
}
