package dev.keelson.reconcilers.scheduler;

import static dev.keelson.reconcilers.scheduler.Fixtures.node;
import static dev.keelson.reconcilers.scheduler.Fixtures.nodeJson;
import static dev.keelson.reconcilers.scheduler.Fixtures.pod;
import static dev.keelson.reconcilers.scheduler.Fixtures.podJson;
import static dev.keelson.reconcilers.scheduler.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlacementTest {

  private final Placement placement = new Placement(new Random(7));

  private static Function<String, NodeInfo> byName(List<NodeInfo> nodes) {
    Map<String, NodeInfo> map = nodes.stream().collect(Collectors.toMap(NodeInfo::name, n -> n));
    return map::get;
  }

  private Placement.Decision decide(PodInfo pod, List<NodeInfo> nodes) {
    return placement.decide(pod, nodes, byName(nodes), InterPodAffinity.NONE);
  }

  /** Decides, and counts the pod where it went, as the cache's assumption does. */
  private String place(PodInfo pod, List<NodeInfo> nodes) {
    Placement.Decision d = decide(pod, nodes);
    assertThat(d).isInstanceOf(Placement.Bind.class);
    NodeInfo node = ((Placement.Bind) d).node();
    node.add(pod);
    return node.name();
  }

  private static List<NodeInfo> nodes(int n, String cpu, String memory) {
    List<NodeInfo> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(node("n" + i, cpu, memory));
    }
    return list;
  }

  @Test
  void podsOfOneOwnerSpreadOverTheNodes() {
    List<NodeInfo> nodes = nodes(3, "4", "8Gi");
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      used.add(place(ScoresTest.owned("web-" + i, "web"), nodes));
    }
    assertThat(used).containsExactlyInAnyOrder("n0", "n1", "n2");
  }

  @Test
  void theLeastAllocatedNodeWins() {
    List<NodeInfo> nodes = nodes(3, "4", "8Gi");
    nodes.get(0).add(pod("busy-0", "3", "6Gi"));
    nodes.get(2).add(pod("busy-2", "2", "4Gi"));
    assertThat(place(pod("p", "500m", "1Gi"), nodes)).isEqualTo("n1");
  }

  @Test
  void aPodNoNodeFitsGetsUpstreamsMessage() {
    List<NodeInfo> nodes = nodes(3, "2", "4Gi");
    Placement.Decision d = decide(pod("big", "3", "1Gi"), nodes);
    assertThat(d)
        .isEqualTo(new Placement.Unschedulable("0/3 nodes are available: 3 Insufficient cpu."));
  }

  @Test
  void eachNodeCountsUnderTheFirstFilterItFailed() {
    List<NodeInfo> nodes = nodes(2, "2", "4Gi");
    nodes.add(
        node(
            spec(
                nodeJson("n2", "8", "16Gi"),
                "taints",
                "[{\"key\": \"dedicated\", \"value\": \"infra\", \"effect\": \"NoSchedule\"}]")));
    nodes.add(node(spec(nodeJson("n3", "8", "16Gi"), "unschedulable", "true")));
    assertThat(decide(pod("big", "3", "5Gi"), nodes))
        .isEqualTo(
            new Placement.Unschedulable(
                "0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: infra},"
                    + " 1 node(s) were unschedulable, 2 Insufficient cpu, 2 Insufficient memory."));
  }

  @Test
  void noNodesAtAll() {
    assertThat(decide(pod("p", "1", "1Gi"), List.of()))
        .isEqualTo(new Placement.Unschedulable("no nodes available to schedule pods"));
  }

  @Test
  void aPodPinnedToNodesByNameLooksOnlyAtThose() {
    List<NodeInfo> nodes = nodes(3, "2", "4Gi");
    PodInfo pinned = pod(spec(podJson("ds", "3", "1Gi"), "affinity", affinityJson("n1")));
    assertThat(decide(pinned, nodes))
        .isEqualTo(
            new Placement.Unschedulable(
                "0/3 nodes are available: 1 Insufficient cpu,"
                    + " 2 node(s) didn't satisfy plugin(s) [NodeAffinity]."));
    PodInfo fits = pod(spec(podJson("ds", "1", "1Gi"), "affinity", affinityJson("n1")));
    assertThat(place(fits, nodes)).isEqualTo("n1");
  }

  private static String affinityJson(String node) {
    return "{\"nodeAffinity\": {\"requiredDuringSchedulingIgnoredDuringExecution\":"
        + " {\"nodeSelectorTerms\": [{\"matchFields\": [{\"key\": \"metadata.name\","
        + " \"operator\": \"In\", \"values\": [\""
        + node
        + "\"]}]}]}}}";
  }

  @Test
  void inABigClusterFilteringStopsOnceEnoughNodesFitAndTheNextPodStartsFurther() {
    List<NodeInfo> nodes = nodes(1000, "4", "8Gi");
    assertThat(Placement.feasibleNodesToFind(1000)).isEqualTo(420);
    // Every node fits and scores the same: the choice lies among the first 420 looked at.
    Set<String> first = new HashSet<>();
    for (int i = 0; i < 420; i++) {
      first.add("n" + i);
    }
    assertThat(first)
        .contains(((Placement.Bind) decide(pod("a", "1", "1Gi"), nodes)).node().name());
    Set<String> second = new HashSet<>();
    for (int i = 420; i < 840; i++) {
      second.add("n" + i);
    }
    assertThat(second)
        .contains(((Placement.Bind) decide(pod("b", "1", "1Gi"), nodes)).node().name());
  }

  @Test
  void feasibleNodesToFindFollowsUpstreamsAdaptiveShare() {
    assertThat(Placement.feasibleNodesToFind(50)).isEqualTo(50);
    assertThat(Placement.feasibleNodesToFind(100)).isEqualTo(100);
    assertThat(Placement.feasibleNodesToFind(250)).isEqualTo(120);
    assertThat(Placement.feasibleNodesToFind(5000)).isEqualTo(500);
    assertThat(Placement.feasibleNodesToFind(10000)).isEqualTo(500);
    assertThat(Placement.feasibleNodesToFind(1500)).isEqualTo(570);
  }

  @Test
  void tiesAreBrokenAtRandom() {
    List<NodeInfo> nodes = nodes(4, "4", "8Gi");
    Set<String> chosen =
        IntStream.range(0, 200)
            .mapToObj(i -> ((Placement.Bind) decide(pod("p" + i, "1", "1Gi"), nodes)).node().name())
            .collect(Collectors.toSet());
    assertThat(chosen).hasSize(4);
  }
}
