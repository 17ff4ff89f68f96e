package dev.keelson.reconcilers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import org.junit.jupiter.api.Test;

class NodeConditionsTest {

  static ObjectNode node(String conditions) {
    return Json.parseObject(
        "{\"kind\":\"Node\",\"metadata\":{\"name\":\"n\",\"creationTimestamp\":\"2025-01-01T00:00:00Z\"},"
            + "\"status\":{\"conditions\":"
            + conditions
            + "}}");
  }

  @Test
  void aSilentNodesConditionsTurnUnknownKeepingTheirHeartbeat() {
    ObjectNode node =
        node(
            "[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
                + "\"lastHeartbeatTime\":\"2025-01-01T00:01:00Z\",\"lastTransitionTime\":\"2025-01-01T00:00:10Z\"},"
                + "{\"type\":\"MemoryPressure\",\"status\":\"False\"},"
                + "{\"type\":\"DiskPressure\",\"status\":\"False\"},"
                + "{\"type\":\"PIDPressure\",\"status\":\"False\"},"
                + "{\"type\":\"NetworkUnavailable\",\"status\":\"False\"}]");

    assertThat(NodeConditions.markUnknown(node, "2025-01-01T00:02:00Z")).isTrue();

    JsonNode ready = NodeConditions.find(node, "Ready");
    assertThat(ready.path("status").asText()).isEqualTo("Unknown");
    assertThat(ready.path("reason").asText()).isEqualTo("NodeStatusUnknown");
    assertThat(ready.path("message").asText()).isEqualTo("Kubelet stopped posting node status.");
    assertThat(ready.path("lastHeartbeatTime").asText()).isEqualTo("2025-01-01T00:01:00Z");
    assertThat(ready.path("lastTransitionTime").asText()).isEqualTo("2025-01-01T00:02:00Z");
    for (String type : new String[] {"MemoryPressure", "DiskPressure", "PIDPressure"}) {
      assertThat(NodeConditions.status(node, type)).isEqualTo("Unknown");
    }
    assertThat(NodeConditions.status(node, "NetworkUnavailable"))
        .as("the network's condition is not the agent's")
        .isEqualTo("False");
  }

  @Test
  void conditionsAlreadyUnknownStayAsTheyAre() {
    ObjectNode node =
        node(
            "[{\"type\":\"Ready\",\"status\":\"Unknown\",\"lastTransitionTime\":\"t1\"},"
                + "{\"type\":\"MemoryPressure\",\"status\":\"Unknown\"},"
                + "{\"type\":\"DiskPressure\",\"status\":\"Unknown\"},"
                + "{\"type\":\"PIDPressure\",\"status\":\"Unknown\"}]");
    ObjectNode before = node.deepCopy();

    assertThat(NodeConditions.markUnknown(node, "t2")).isFalse();
    assertThat(node).isEqualTo(before);
  }

  @Test
  void aNodeThatNeverPostedGetsItsConditionsAsNeverUpdated() {
    ObjectNode node = node("[]");

    assertThat(NodeConditions.markUnknown(node, "2025-01-01T00:02:00Z")).isTrue();

    JsonNode ready = NodeConditions.find(node, "Ready");
    assertThat(ready.path("status").asText()).isEqualTo("Unknown");
    assertThat(ready.path("reason").asText()).isEqualTo("NodeStatusNeverUpdated");
    assertThat(ready.path("message").asText()).isEqualTo("Kubelet never posted node status.");
    assertThat(ready.path("lastHeartbeatTime").asText()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(node.path("status").path("conditions")).hasSize(4);
  }
}
