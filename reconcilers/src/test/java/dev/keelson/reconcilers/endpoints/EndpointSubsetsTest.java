package dev.keelson.reconcilers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSubsetsTest {

  static final String SERVICE =
      "{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\"},\"spec\":{\"selector\":{\"app\":\"web\"},"
          + "\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":\"http\",\"protocol\":\"TCP\"}]}}";

  /** A pod on node {@code node}, its container port 8080 named http, published as given. */
  static ObjectNode pod(String name, String node, boolean ready, String published) {
    ObjectNode pod =
        Json.parseObject(
            "{\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\"ns\",\"uid\":\"uid-"
                + name
                + "\",\"labels\":{\"app\":\"web\"}},"
                + "\"spec\":{\"nodeName\":\""
                + node
                + "\",\"containers\":[{\"name\":\"c\",\"ports\":["
                + "{\"name\":\"http\",\"containerPort\":8080,\"protocol\":\"TCP\"}]}]},"
                + "\"status\":{\"phase\":\"Running\",\"hostIP\":\"10.0.0."
                + node.charAt(node.length() - 1)
                + "\",\"conditions\":[{\"type\":\"Ready\",\"status\":\""
                + (ready ? "True" : "False")
                + "\"}]}}");
    if (published != null) {
      pod.with("metadata").with("annotations").put(EndpointSubsets.HOST_PORTS, published);
    }
    return pod;
  }

  static String published(int hostPort) {
    return "[{\"containerPort\":8080,\"protocol\":\"TCP\",\"hostIP\":\"\",\"hostPort\":"
        + hostPort
        + "}]";
  }

  static JsonNode endpoints(String service, List<ObjectNode> pods) {
    return EndpointSubsets.toJson(EndpointSubsets.compute(Json.parseObject(service), pods));
  }

  @Test
  void readyPodsAreListedAtTheirNodesAddressAndPublishedPort() {
    JsonNode subsets = endpoints(SERVICE, List.of(pod("a", "node-1", true, published(32001))));

    assertThat(subsets)
        .isEqualTo(
            Json.parseObject(
                    "{\"s\":[{\"addresses\":[{\"ip\":\"10.0.0.1\",\"nodeName\":\"node-1\","
                        + "\"targetRef\":{\"kind\":\"Pod\",\"namespace\":\"ns\",\"name\":\"a\",\"uid\":\"uid-a\"}}],"
                        + "\"ports\":[{\"name\":\"http\",\"port\":32001,\"protocol\":\"TCP\"}]}]}")
                .get("s"));
  }

  @Test
  void podsNotReadyAreNotReadyAddressesUnlessTheServicePublishesThem() {
    List<ObjectNode> pods =
        List.of(
            pod("a", "node-1", true, published(32001)),
            pod("b", "node-1", false, published(32002)));

    JsonNode subsets = endpoints(SERVICE, pods);
    assertThat(subsets).hasSize(2);
    assertThat(subsets.get(0).path("addresses").get(0).path("targetRef").path("name").asText())
        .isEqualTo("a");
    assertThat(
            subsets.get(1).path("notReadyAddresses").get(0).path("targetRef").path("name").asText())
        .isEqualTo("b");
    assertThat(subsets.get(1).path("ports").get(0).path("port").asInt()).isEqualTo(32002);

    String publishing =
        SERVICE.replace("\"spec\":{", "\"spec\":{\"publishNotReadyAddresses\":true,");
    JsonNode all = endpoints(publishing, pods);
    assertThat(all).allSatisfy(s -> assertThat(s.has("notReadyAddresses")).isFalse());
  }

  @Test
  void addressesOfferingTheSamePortsShareASubset() {
    // Two pods on two nodes, both published on 32001: one subset, two addresses, sorted by IP.
    List<ObjectNode> pods =
        List.of(
            pod("b", "node-2", true, published(32001)), pod("a", "node-1", true, published(32001)));

    JsonNode subsets = endpoints(SERVICE, pods);

    assertThat(subsets).hasSize(1);
    assertThat(subsets.get(0).path("addresses")).hasSize(2);
    assertThat(subsets.get(0).path("addresses").get(0).path("ip").asText()).isEqualTo("10.0.0.1");
    assertThat(subsets.get(0).path("addresses").get(1).path("ip").asText()).isEqualTo("10.0.0.2");
  }

  @Test
  void aPodWithoutAPublishedPortIsNotReadyAtItsContainerPort() {
    JsonNode subsets = endpoints(SERVICE, List.of(pod("a", "node-1", true, null)));

    assertThat(subsets).hasSize(1);
    assertThat(subsets.get(0).has("addresses")).isFalse();
    assertThat(subsets.get(0).path("notReadyAddresses")).hasSize(1);
    assertThat(subsets.get(0).path("ports").get(0).path("port").asInt()).isEqualTo(8080);
  }

  @Test
  void aNumericTargetPortIsTheContainerPort() {
    String numeric = SERVICE.replace("\"targetPort\":\"http\"", "\"targetPort\":8080");

    JsonNode subsets = endpoints(numeric, List.of(pod("a", "node-1", true, published(32001))));

    assertThat(subsets.get(0).path("ports").get(0).path("port").asInt()).isEqualTo(32001);
  }

  @Test
  void aPortNameThePodDoesNotHaveLeavesThePodOutOfThatPort() {
    String other = SERVICE.replace("\"targetPort\":\"http\"", "\"targetPort\":\"metrics\"");

    assertThat(endpoints(other, List.of(pod("a", "node-1", true, published(32001))))).isEmpty();
  }

  @Test
  void podsNotStartedEndedOrBeingDeletedAreLeftOut() {
    ObjectNode unstarted = pod("a", "node-1", false, null);
    unstarted.with("status").remove("hostIP");
    ObjectNode deleting = pod("b", "node-1", true, published(32001));
    deleting.with("metadata").put("deletionTimestamp", "2025-01-01T00:00:00Z");
    ObjectNode ended = pod("c", "node-1", false, published(32002));
    ended.with("spec").put("restartPolicy", "Never");
    ended.with("status").put("phase", "Succeeded");

    assertThat(endpoints(SERVICE, List.of(unstarted, deleting, ended))).isEmpty();
  }

  @Test
  void aHeadlessServiceWithoutPortsListsAddressesOnly() {
    String headless =
        "{\"metadata\":{\"name\":\"db\",\"namespace\":\"ns\"},\"spec\":{\"clusterIP\":\"None\","
            + "\"selector\":{\"app\":\"web\"}}}";
    ObjectNode pod = pod("a", "node-1", true, null);
    pod.with("spec").put("hostname", "a").put("subdomain", "db");

    JsonNode subsets = endpoints(headless, List.of(pod));

    assertThat(subsets).hasSize(1);
    assertThat(subsets.get(0).has("ports")).isFalse();
    assertThat(subsets.get(0).path("addresses").get(0).path("hostname").asText()).isEqualTo("a");
  }

  @Test
  void twoServicePortsOfOnePodGoTogether() {
    String twoPorts =
        SERVICE.replace(
            "\"ports\":[",
            "\"ports\":[{\"name\":\"admin\",\"port\":9000,\"targetPort\":9000,\"protocol\":\"TCP\"},");
    ObjectNode pod = pod("a", "node-1", true, null);
    pod.with("metadata")
        .with("annotations")
        .put(
            EndpointSubsets.HOST_PORTS,
            "[{\"containerPort\":8080,\"protocol\":\"TCP\",\"hostIP\":\"\",\"hostPort\":32001},"
                + "{\"containerPort\":9000,\"protocol\":\"TCP\",\"hostIP\":\"\",\"hostPort\":32002}]");

    JsonNode subsets = endpoints(twoPorts, List.of(pod));

    assertThat(subsets).hasSize(1);
    assertThat(subsets.get(0).path("ports")).hasSize(2);
    assertThat(subsets.get(0).path("ports").get(0).path("name").asText()).isEqualTo("admin");
    assertThat(subsets.get(0).path("ports").get(0).path("port").asInt()).isEqualTo(32002);
  }
}
