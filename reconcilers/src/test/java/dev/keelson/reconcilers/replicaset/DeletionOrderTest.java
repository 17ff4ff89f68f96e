package dev.keelson.reconcilers.replicaset;

import static dev.keelson.reconcilers.replicaset.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Meta;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeletionOrderTest {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static List<String> order(List<JsonNode> pods, List<JsonNode> related) {
    List<JsonNode> shuffled = new ArrayList<>(pods);
    Collections.reverse(shuffled);
    shuffled.sort(DeletionOrder.comparator(related, NOW));
    return shuffled.stream().map(Meta::name).toList();
  }

  @Test
  void unscheduledThenPendingThenNotReadyThenReady() {
    Instant readyLongAgo = NOW.minus(Duration.ofHours(5));
    List<JsonNode> pods =
        List.of(
            pod("ready").node("n1").phase("Running").ready(readyLongAgo).build(),
            pod("unscheduled").phase("Pending").build(),
            pod("running-not-ready").node("n1").phase("Running").notReady().build(),
            pod("pending").node("n1").phase("Pending").build(),
            pod("unknown").node("n1").phase("Unknown").build());
    assertThat(order(pods, List.of()))
        .containsExactly("unscheduled", "pending", "unknown", "running-not-ready", "ready");
  }

  @Test
  void lowerDeletionCostGoesFirstAmongEquallyReadyPods() {
    Instant since = NOW.minus(Duration.ofMinutes(3));
    List<JsonNode> pods =
        List.of(
            pod("cheap")
                .node("n1")
                .phase("Running")
                .ready(since)
                .annotation(DeletionOrder.DELETION_COST, "-5")
                .build(),
            pod("dear")
                .node("n2")
                .phase("Running")
                .ready(since)
                .annotation(DeletionOrder.DELETION_COST, "100")
                .build(),
            pod("plain").node("n3").phase("Running").ready(since).build());
    assertThat(order(pods, List.of())).containsExactly("cheap", "plain", "dear");
  }

  @Test
  void doubledUpPodsGoBeforeLonePods() {
    Instant since = NOW.minus(Duration.ofMinutes(3));
    JsonNode lone = pod("lone").node("n1").phase("Running").ready(since).build();
    JsonNode crowdedA = pod("crowded-a").node("n2").phase("Running").ready(since).build();
    JsonNode crowdedB = pod("crowded-b").node("n2").phase("Running").ready(since).build();
    JsonNode sibling = pod("sibling").node("n2").phase("Running").ready(since).build();
    List<String> order = order(List.of(lone, crowdedA), List.of(lone, crowdedA, crowdedB, sibling));
    assertThat(order).containsExactly("crowded-a", "lone");
  }

  @Test
  void recentlyReadyBeforeLongReadyOnALogScale() {
    List<JsonNode> pods =
        List.of(
            pod("old").node("n1").phase("Running").ready(NOW.minus(Duration.ofHours(10))).build(),
            pod("new")
                .node("n2")
                .phase("Running")
                .ready(NOW.minus(Duration.ofSeconds(10)))
                .build());
    assertThat(order(pods, List.of())).containsExactly("new", "old");
  }

  @Test
  void moreRestartsThenNewerCreationGoFirst() {
    Instant since = NOW.minus(Duration.ofMinutes(30));
    List<JsonNode> pods =
        List.of(
            pod("stable-old")
                .node("n1")
                .phase("Running")
                .ready(since)
                .created(NOW.minus(Duration.ofDays(3)))
                .build(),
            pod("stable-new")
                .node("n2")
                .phase("Running")
                .ready(since)
                .created(NOW.minus(Duration.ofMinutes(31)))
                .build(),
            pod("crashy")
                .node("n3")
                .phase("Running")
                .ready(since)
                .restarts(4)
                .created(NOW.minus(Duration.ofDays(3)))
                .build());
    assertThat(order(pods, List.of())).containsExactly("crashy", "stable-new", "stable-old");
  }

  @Test
  void podsOfTheSameLogScaleGoByUid() {
    Instant since = NOW.minus(Duration.ofMinutes(30));
    // 40 and 50 minutes ago are both in [2^41, 2^42) nanoseconds: the same rank.
    List<JsonNode> pods =
        List.of(
            pod("b")
                .node("n1")
                .phase("Running")
                .ready(since)
                .created(NOW.minus(Duration.ofMinutes(40)))
                .build(),
            pod("a")
                .node("n2")
                .phase("Running")
                .ready(since)
                .created(NOW.minus(Duration.ofMinutes(50)))
                .build());
    assertThat(order(pods, List.of())).containsExactly("a", "b");
  }

  @Test
  void podsToDeleteTakesTheFirstOnesOrAllWhenAllGo() {
    List<JsonNode> pods =
        List.of(
            pod("ready").node("n1").phase("Running").ready(NOW.minusSeconds(600)).build(),
            pod("unscheduled").build(),
            pod("pending").node("n1").build());
    assertThat(DeletionOrder.podsToDelete(pods, pods, 2, NOW).stream().map(Meta::name))
        .containsExactly("unscheduled", "pending");
    assertThat(DeletionOrder.podsToDelete(pods, pods, 3, NOW)).hasSize(3);
  }
}
