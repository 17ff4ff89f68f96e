package dev.keelson.reconcilers.scheduler;

import static dev.keelson.reconcilers.scheduler.Fixtures.labels;
import static dev.keelson.reconcilers.scheduler.Fixtures.node;
import static dev.keelson.reconcilers.scheduler.Fixtures.nodeJson;
import static dev.keelson.reconcilers.scheduler.Fixtures.pod;
import static dev.keelson.reconcilers.scheduler.Fixtures.podJson;
import static dev.keelson.reconcilers.scheduler.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import org.junit.jupiter.api.Test;

class FiltersTest {

  private static NodeFacts facts(ObjectNode node) {
    return NodeFacts.parse(node);
  }

  @Test
  void aCordonedNodeTakesOnlyPodsThatTolerateIt() {
    NodeFacts cordoned = facts(spec(nodeJson("n1", "2", "4Gi"), "unschedulable", "true"));
    assertThat(Filters.unschedulable(pod("p", "1", "1Gi"), cordoned))
        .isEqualTo("node(s) were unschedulable");
    PodInfo tolerating =
        pod(
            spec(
                podJson("p", "1", "1Gi"),
                "tolerations",
                "[{\"key\": \"node.kubernetes.io/unschedulable\", \"operator\": \"Exists\","
                    + " \"effect\": \"NoSchedule\"}]"));
    assertThat(Filters.unschedulable(tolerating, cordoned)).isNull();
    assertThat(Filters.unschedulable(pod("p", "1", "1Gi"), facts(nodeJson("n2", "2", "4Gi"))))
        .isNull();
  }

  @Test
  void noScheduleAndNoExecuteTaintsMustBeTolerated() {
    NodeFacts tainted =
        facts(
            spec(
                nodeJson("n1", "2", "4Gi"),
                "taints",
                "[{\"key\": \"dedicated\", \"value\": \"infra\", \"effect\": \"NoSchedule\"}]"));
    assertThat(Filters.taints(pod("p", "1", "1Gi"), tainted))
        .isEqualTo("node(s) had untolerated taint {dedicated: infra}");
    PodInfo equal =
        pod(
            spec(
                podJson("p", "1", "1Gi"),
                "tolerations",
                "[{\"key\": \"dedicated\", \"operator\": \"Equal\", \"value\": \"infra\"}]"));
    assertThat(Filters.taints(equal, tainted)).isNull();
    PodInfo otherValue =
        pod(
            spec(
                podJson("p", "1", "1Gi"),
                "tolerations",
                "[{\"key\": \"dedicated\", \"value\": \"web\", \"effect\": \"NoSchedule\"}]"));
    assertThat(Filters.taints(otherValue, tainted)).isNotNull();
    PodInfo everything =
        pod(spec(podJson("p", "1", "1Gi"), "tolerations", "[{\"operator\": \"Exists\"}]"));
    assertThat(Filters.taints(everything, tainted)).isNull();

    NodeFacts noExecute =
        facts(
            spec(
                nodeJson("n1", "2", "4Gi"),
                "taints",
                "[{\"key\": \"gone\", \"effect\": \"NoExecute\"}]"));
    assertThat(Filters.taints(pod("p", "1", "1Gi"), noExecute))
        .isEqualTo("node(s) had untolerated taint {gone: }");
    PodInfo wrongEffect =
        pod(
            spec(
                podJson("p", "1", "1Gi"),
                "tolerations",
                "[{\"key\": \"gone\", \"operator\": \"Exists\", \"effect\": \"NoSchedule\"}]"));
    assertThat(Filters.taints(wrongEffect, noExecute)).isNotNull();
  }

  @Test
  void preferNoScheduleTaintsDoNotFilter() {
    NodeFacts soft =
        facts(
            spec(
                nodeJson("n1", "2", "4Gi"),
                "taints",
                "[{\"key\": \"soft\", \"effect\": \"PreferNoSchedule\"}]"));
    assertThat(Filters.taints(pod("p", "1", "1Gi"), soft)).isNull();
  }

  @Test
  void aNodeThatIsNotReadyCarriesTheNotReadyTaint() {
    ObjectNode notReady = nodeJson("n1", "2", "4Gi");
    notReady
        .with("status")
        .set(
            "conditions",
            Json.parseObject("{\"c\": [{\"type\": \"Ready\", \"status\": \"False\"}]}").get("c"));
    assertThat(Filters.taints(pod("p", "1", "1Gi"), facts(notReady)))
        .isEqualTo("node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
    ObjectNode unknown = nodeJson("n2", "2", "4Gi");
    unknown
        .with("status")
        .set(
            "conditions",
            Json.parseObject("{\"c\": [{\"type\": \"Ready\", \"status\": \"Unknown\"}]}").get("c"));
    assertThat(Filters.taints(pod("p", "1", "1Gi"), facts(unknown)))
        .isEqualTo("node(s) had untolerated taint {node.kubernetes.io/unreachable: }");
    PodInfo tolerating =
        pod(
            spec(
                podJson("p", "1", "1Gi"),
                "tolerations",
                "[{\"key\": \"node.kubernetes.io/not-ready\", \"operator\": \"Exists\"}]"));
    assertThat(Filters.taints(tolerating, facts(notReady))).isNull();
  }

  @Test
  void theNodeSelectorMustMatchTheNodesLabels() {
    NodeFacts ssd =
        facts(labels(nodeJson("n1", "2", "4Gi"), "{\"disk\": \"ssd\", \"zone\": \"a\"}"));
    PodInfo wantsSsd = pod(spec(podJson("p", "1", "1Gi"), "nodeSelector", "{\"disk\": \"ssd\"}"));
    PodInfo wantsHdd = pod(spec(podJson("p", "1", "1Gi"), "nodeSelector", "{\"disk\": \"hdd\"}"));
    assertThat(Filters.nodeAffinity(wantsSsd, ssd)).isNull();
    assertThat(Filters.nodeAffinity(wantsHdd, ssd))
        .isEqualTo("node(s) didn't match Pod's node affinity/selector");
  }

  private static PodInfo affinity(String terms) {
    return pod(
        spec(
            podJson("p", "1", "1Gi"),
            "affinity",
            "{\"nodeAffinity\": {\"requiredDuringSchedulingIgnoredDuringExecution\":"
                + " {\"nodeSelectorTerms\": "
                + terms
                + "}}}"));
  }

  @Test
  void requiredNodeAffinityTermsAreOredAndTheirExpressionsAnded() {
    NodeFacts node =
        facts(
            labels(
                nodeJson("n1", "2", "4Gi"), "{\"zone\": \"a\", \"gen\": \"5\", \"gpu\": \"yes\"}"));
    String in = "{\"key\": \"zone\", \"operator\": \"In\", \"values\": [\"a\", \"b\"]}";
    String notIn = "{\"key\": \"zone\", \"operator\": \"NotIn\", \"values\": [\"a\"]}";
    String exists = "{\"key\": \"gpu\", \"operator\": \"Exists\"}";
    String doesNotExist = "{\"key\": \"spot\", \"operator\": \"DoesNotExist\"}";
    String gt = "{\"key\": \"gen\", \"operator\": \"Gt\", \"values\": [\"4\"]}";
    String lt = "{\"key\": \"gen\", \"operator\": \"Lt\", \"values\": [\"5\"]}";
    assertThat(Filters.nodeAffinity(affinity("[{\"matchExpressions\": [" + in + "]}]"), node))
        .isNull();
    assertThat(Filters.nodeAffinity(affinity("[{\"matchExpressions\": [" + notIn + "]}]"), node))
        .isNotNull();
    assertThat(
            Filters.nodeAffinity(
                affinity(
                    "[{\"matchExpressions\": [" + exists + "," + doesNotExist + "," + gt + "]}]"),
                node))
        .isNull();
    assertThat(
            Filters.nodeAffinity(
                affinity("[{\"matchExpressions\": [" + in + "," + lt + "]}]"), node))
        .isNotNull();
    // Either term will do.
    assertThat(
            Filters.nodeAffinity(
                affinity(
                    "[{\"matchExpressions\": [" + lt + "]}, {\"matchExpressions\": [" + gt + "]}]"),
                node))
        .isNull();
    // A term with nothing in it matches nothing.
    assertThat(Filters.nodeAffinity(affinity("[{}]"), node)).isNotNull();
  }

  @Test
  void matchFieldsSelectsNodesByName() {
    NodeFacts n1 = facts(nodeJson("n1", "2", "4Gi"));
    NodeFacts n2 = facts(nodeJson("n2", "2", "4Gi"));
    PodInfo pinned =
        affinity(
            "[{\"matchFields\": [{\"key\": \"metadata.name\", \"operator\": \"In\","
                + " \"values\": [\"n1\"]}]}]");
    assertThat(Filters.nodeAffinity(pinned, n1)).isNull();
    assertThat(Filters.nodeAffinity(pinned, n2)).isNotNull();
    assertThat(pinned.nodeNames()).containsExactly("n1");
  }

  private static PodInfo withPort(String name, String port) {
    return pod(
        spec(
            podJson(name, "100m", "10Mi"),
            "containers",
            "[{\"name\": \"c\", \"ports\": [" + port + "]}]"));
  }

  @Test
  void aHostPortTakenOnTheNodeKeepsThePodOff() {
    NodeInfo node = node("n1", "2", "4Gi");
    node.add(withPort("web", "{\"containerPort\": 80, \"hostPort\": 8080}"));
    assertThat(Filters.ports(withPort("p", "{\"containerPort\": 80, \"hostPort\": 8080}"), node))
        .isEqualTo("node(s) didn't have free ports for the requested pod ports");
    // Another protocol, or another port, is free.
    assertThat(
            Filters.ports(
                withPort("p", "{\"containerPort\": 80, \"hostPort\": 8080, \"protocol\": \"UDP\"}"),
                node))
        .isNull();
    assertThat(Filters.ports(withPort("p", "{\"containerPort\": 80, \"hostPort\": 8081}"), node))
        .isNull();
    // 0.0.0.0 (no hostIP) takes the port on every address.
    assertThat(
            Filters.ports(
                withPort(
                    "p", "{\"containerPort\": 80, \"hostPort\": 8080, \"hostIP\": \"10.0.0.1\"}"),
                node))
        .isNotNull();
    NodeInfo specific = node("n2", "2", "4Gi");
    specific.add(
        withPort("a", "{\"containerPort\": 80, \"hostPort\": 9090, \"hostIP\": \"10.0.0.1\"}"));
    assertThat(
            Filters.ports(
                withPort(
                    "p", "{\"containerPort\": 80, \"hostPort\": 9090, \"hostIP\": \"10.0.0.2\"}"),
                specific))
        .isNull();
    assertThat(
            Filters.ports(withPort("p", "{\"containerPort\": 80, \"hostPort\": 9090}"), specific))
        .isNotNull();
  }

  @Test
  void requestsMustFitWhatTheBoundPodsLeave() {
    NodeInfo node = node("n1", "2", "4Gi");
    assertThat(Filters.resources(pod("p", "2", "4Gi"), node)).isEmpty();
    node.add(pod("bound", "1500m", "3Gi"));
    assertThat(Filters.resources(pod("p", "500m", "1Gi"), node)).isEmpty();
    assertThat(Filters.resources(pod("p", "501m", "1Gi"), node))
        .containsExactly("Insufficient cpu");
    assertThat(Filters.resources(pod("p", "1", "2Gi"), node))
        .containsExactly("Insufficient cpu", "Insufficient memory");
    node.remove(pod("bound", "1500m", "3Gi"));
    assertThat(Filters.resources(pod("p", "1", "2Gi"), node)).isEmpty();
  }

  @Test
  void aNodeHoldsNoMorePodsThanItsAllocatablePods() {
    ObjectNode small = nodeJson("n1", "2", "4Gi");
    small.with("status").with("allocatable").put("pods", "1");
    NodeInfo node = node(small);
    PodInfo empty =
        pod(
            Json.parseObject(
                "{\"metadata\": {\"name\": \"e\", \"namespace\": \"default\"},"
                    + " \"spec\": {\"containers\": [{\"name\": \"c\"}]}}"));
    assertThat(Filters.resources(empty, node)).isEmpty();
    node.add(pod("bound", "100m", "1Mi"));
    assertThat(Filters.resources(empty, node)).containsExactly("Too many pods");
  }

  @Test
  void extendedResourcesMustBeAllocatable() {
    PodInfo gpu =
        pod(
            spec(
                podJson("p", "1", "1Gi"),
                "containers",
                "[{\"name\": \"c\", \"resources\": {\"requests\": {\"example.com/gpu\": \"1\"}}}]"));
    assertThat(Filters.resources(gpu, node("n1", "2", "4Gi")))
        .containsExactly("Insufficient example.com/gpu");
    ObjectNode withGpu = nodeJson("n2", "2", "4Gi");
    withGpu.with("status").with("allocatable").put("example.com/gpu", "1");
    assertThat(Filters.resources(gpu, node(withGpu))).isEmpty();
  }

  @Test
  void theFirstFilterThatFailsGivesTheReason() {
    ObjectNode json =
        spec(
            labels(nodeJson("n1", "1", "1Gi"), "{\"disk\": \"hdd\"}"),
            "taints",
            "[{\"key\": \"dedicated\", \"value\": \"infra\", \"effect\": \"NoSchedule\"}]");
    NodeInfo node = node(json);
    PodInfo big = pod(spec(podJson("p", "4", "8Gi"), "nodeSelector", "{\"disk\": \"ssd\"}"));
    assertThat(Filters.run(big, node, InterPodAffinity.NONE))
        .containsExactly("node(s) had untolerated taint {dedicated: infra}");
    NodeInfo plain = node(labels(nodeJson("n2", "1", "1Gi"), "{\"disk\": \"hdd\"}"));
    assertThat(Filters.run(big, plain, InterPodAffinity.NONE))
        .containsExactly("node(s) didn't match Pod's node affinity/selector");
    assertThat(Filters.run(pod("p", "4", "8Gi"), plain, InterPodAffinity.NONE))
        .containsExactly("Insufficient cpu", "Insufficient memory");
    assertThat(Filters.run(pod("p", "1", "1Gi"), plain, InterPodAffinity.NONE)).isNull();
  }
}
