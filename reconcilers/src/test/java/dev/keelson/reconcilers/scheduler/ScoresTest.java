package dev.keelson.reconcilers.scheduler;

import static dev.keelson.reconcilers.scheduler.Fixtures.node;
import static dev.keelson.reconcilers.scheduler.Fixtures.nodeJson;
import static dev.keelson.reconcilers.scheduler.Fixtures.pod;
import static dev.keelson.reconcilers.scheduler.Fixtures.podJson;
import static dev.keelson.reconcilers.scheduler.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.api.Json;
import org.junit.jupiter.api.Test;

class ScoresTest {

  @Test
  void leastAllocatedScoresTheShareLeftFree() {
    NodeInfo node = node("n", "4", "8Gi");
    // cpu: (4000 - 1000) * 100 / 4000 = 75; memory: (8 - 2) * 100 / 8 = 75.
    assertThat(Scores.leastAllocated(pod("p", "1", "2Gi"), node)).isEqualTo(75);
    node.add(pod("bound", "2", "2Gi"));
    // cpu: (4000 - 3000) * 100 / 4000 = 25; memory: (8 - 4) * 100 / 8 = 50; mean 37.
    assertThat(Scores.leastAllocated(pod("p", "1", "2Gi"), node)).isEqualTo(37);
    // More than is left scores 0 for that resource.
    assertThat(Scores.leastAllocated(pod("p", "3", "2Gi"), node)).isEqualTo(25);
  }

  @Test
  void podsWithoutRequestsCountUpstreamsDefaultsWhenScoring() {
    NodeInfo node = node("n", "1", "1000Mi");
    PodInfo none =
        pod(
            Json.parseObject(
                "{\"metadata\": {\"name\": \"x\", \"namespace\": \"default\"},"
                    + " \"spec\": {\"containers\": [{\"name\": \"c\"}]}}"));
    // cpu: (1000 - 100) * 100 / 1000 = 90; memory: (1000 - 200) * 100 / 1000 = 80.
    assertThat(Scores.leastAllocated(none, node)).isEqualTo(85);
    assertThat(Scores.bestEffort(none)).isTrue();
    assertThat(Scores.bestEffort(pod("p", "1", "1Gi"))).isFalse();
  }

  @Test
  void balancedAllocationPrefersLikeSharesOfCpuAndMemory() {
    NodeInfo node = node("n", "4", "8Gi");
    // 25% cpu and 25% memory: no deviation.
    assertThat(Scores.balancedAllocation(pod("p", "1", "2Gi"), node)).isEqualTo(100);
    // 75% cpu, 25% memory: deviation 0.25.
    assertThat(Scores.balancedAllocation(pod("p", "3", "2Gi"), node)).isEqualTo(75);
    // A share over 1 counts as 1.
    assertThat(Scores.balancedAllocation(pod("p", "8", "0"), node)).isEqualTo(50);
  }

  @Test
  void intolerablePreferNoScheduleTaintsAreCounted() {
    NodeInfo node =
        node(
            spec(
                nodeJson("n", "4", "8Gi"),
                "taints",
                "[{\"key\": \"a\", \"effect\": \"PreferNoSchedule\"},"
                    + " {\"key\": \"b\", \"effect\": \"PreferNoSchedule\"},"
                    + " {\"key\": \"c\", \"effect\": \"NoSchedule\"}]"));
    assertThat(Scores.intolerablePreferNoSchedule(pod("p", "1", "1Gi"), node)).isEqualTo(2);
    PodInfo toleratesA =
        pod(
            spec(
                podJson("p", "1", "1Gi"),
                "tolerations",
                "[{\"key\": \"a\", \"operator\": \"Exists\"}]"));
    assertThat(Scores.intolerablePreferNoSchedule(toleratesA, node)).isEqualTo(1);
  }

  @Test
  void preferredNodeAffinityAddsTheWeightsOfMatchingTerms() {
    NodeInfo node =
        node(Fixtures.labels(nodeJson("n", "4", "8Gi"), "{\"zone\": \"a\", \"disk\": \"ssd\"}"));
    PodInfo pod =
        pod(
            spec(
                podJson("p", "1", "1Gi"),
                "affinity",
                "{\"nodeAffinity\": {\"preferredDuringSchedulingIgnoredDuringExecution\": ["
                    + "{\"weight\": 10, \"preference\": {\"matchExpressions\": [{\"key\": \"zone\","
                    + " \"operator\": \"In\", \"values\": [\"a\"]}]}},"
                    + "{\"weight\": 5, \"preference\": {\"matchExpressions\": [{\"key\": \"disk\","
                    + " \"operator\": \"In\", \"values\": [\"hdd\"]}]}},"
                    + "{\"weight\": 1, \"preference\": {\"matchExpressions\": [{\"key\": \"disk\","
                    + " \"operator\": \"Exists\"}]}}]}}"));
    assertThat(Scores.preferredNodeAffinity(pod, node)).isEqualTo(11);
  }

  @Test
  void ownerPodsCountsThePodsOfTheSameController() {
    NodeInfo node = node("n", "4", "8Gi");
    node.add(owned("a-1", "a"));
    node.add(owned("a-2", "a"));
    node.add(owned("b-1", "b"));
    assertThat(Scores.ownerPods(owned("a-3", "a"), node)).isEqualTo(2);
    assertThat(Scores.ownerPods(owned("b-2", "b"), node)).isEqualTo(1);
    assertThat(Scores.ownerPods(pod("loose", "1", "1Gi"), node)).isZero();
    node.remove(owned("a-1", "a"));
    assertThat(Scores.ownerPods(owned("a-3", "a"), node)).isEqualTo(1);
  }

  static PodInfo owned(String name, String replicaSet) {
    var json = podJson(name, "100m", "10Mi");
    json.with("metadata")
        .set(
            "ownerReferences",
            Json.parseObject(
                    "{\"r\": [{\"apiVersion\": \"apps/v1\", \"kind\": \"ReplicaSet\", \"name\": \""
                        + replicaSet
                        + "\", \"uid\": \"u\", \"controller\": true}]}")
                .get("r"));
    return pod(json);
  }

  @Test
  void normalizeScalesToTheHighestAndCanTurnRound() {
    long[] scores = {0, 2, 4};
    Scores.normalize(scores, 3, false);
    assertThat(scores).containsExactly(0, 50, 100);
    long[] reversed = {0, 2, 4};
    Scores.normalize(reversed, 3, true);
    assertThat(reversed).containsExactly(100, 50, 0);
    long[] zeros = {0, 0};
    Scores.normalize(zeros, 2, true);
    assertThat(zeros).containsExactly(100, 100);
  }
}
