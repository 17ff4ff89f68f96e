package dev.keelson.reconcilers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.keelson.api.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeTaintsTest {

  static final String NOW = "2025-01-01T00:05:00Z";

  static JsonNode node(String ready, String taints, boolean unschedulable) {
    return Json.parseObject(
        "{\"spec\":{\"unschedulable\":"
            + unschedulable
            + (taints == null ? "" : ",\"taints\":" + taints)
            + "},\"status\":{\"conditions\":["
            + (ready == null ? "" : "{\"type\":\"Ready\",\"status\":\"" + ready + "\"},")
            + "{\"type\":\"MemoryPressure\",\"status\":\"False\"}]}}");
  }

  static List<String> names(ArrayNode taints) {
    List<String> names = new ArrayList<>();
    taints.forEach(t -> names.add(t.path("key").asText() + ":" + t.path("effect").asText()));
    return names;
  }

  @Test
  void anUnknownNodeIsUnreachableForNewAndRunningPods() {
    ArrayNode taints = NodeTaints.desired(node("Unknown", null, false), NOW);

    assertThat(names(taints))
        .containsExactly(
            "node.kubernetes.io/unreachable:NoExecute",
            "node.kubernetes.io/unreachable:NoSchedule");
    assertThat(taints.get(0).path("timeAdded").asText()).isEqualTo(NOW);
    assertThat(taints.get(1).has("timeAdded")).isFalse();
  }

  @Test
  void aNotReadyNodeSwapsUnreachableForNotReady() {
    String taints =
        "[{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\",\"timeAdded\":\"t0\"},"
            + "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoSchedule\"}]";

    assertThat(names(NodeTaints.desired(node("False", taints, false), NOW)))
        .containsExactly(
            "node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule");
  }

  @Test
  void aReadyNodeLosesTheControllersTaintsAndKeepsOthers() {
    String taints =
        "[{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"},"
            + "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\",\"timeAdded\":\"t0\"},"
            + "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoSchedule\"},"
            + "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"PreferNoSchedule\"}]";

    ArrayNode desired = NodeTaints.desired(node("True", taints, false), NOW);

    assertThat(names(desired))
        .containsExactly("dedicated:NoSchedule", "node.kubernetes.io/unreachable:PreferNoSchedule");
    assertThat(desired.get(0).path("value").asText()).isEqualTo("gpu");
  }

  @Test
  void aTaintStillCalledForKeepsTheTimeItWasAdded() {
    String taints =
        "[{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\",\"timeAdded\":\"t0\"},"
            + "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoSchedule\"}]";
    JsonNode node = node("Unknown", taints, false);

    ArrayNode desired = NodeTaints.desired(node, NOW);

    assertThat(desired).isEqualTo(node.path("spec").path("taints"));
  }

  @Test
  void aNodeWithoutReadyConditionOrPressureHasNoTaints() {
    assertThat(NodeTaints.desired(node(null, null, false), NOW)).isEmpty();
  }

  @Test
  void pressureAndCordonKeepNewPodsAway() {
    JsonNode node =
        Json.parseObject(
            "{\"spec\":{\"unschedulable\":true},\"status\":{\"conditions\":["
                + "{\"type\":\"Ready\",\"status\":\"True\"},"
                + "{\"type\":\"DiskPressure\",\"status\":\"True\"},"
                + "{\"type\":\"PIDPressure\",\"status\":\"False\"}]}}");

    assertThat(names(NodeTaints.desired(node, NOW)))
        .containsExactly(
            "node.kubernetes.io/disk-pressure:NoSchedule",
            "node.kubernetes.io/unschedulable:NoSchedule");
  }
}
