package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Meta;
import dev.keelson.api.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler needs of a Node, read once per change: its labels, its taints, whether it is
 * cordoned, and what it can hold. Two facts are equal when nothing the scheduler looks at changed,
 * so a heartbeat does not look like news.
 *
 * <p>A node whose Ready condition is not True carries the taint upstream's node lifecycle
 * controller would give it ({@code node.kubernetes.io/not-ready}, or {@code unreachable} when
 * Unknown, NoSchedule), so pods keep off it unless they tolerate that, with upstream's message.
 */
public record NodeFacts(
    String name,
    Map<String, String> labels,
    List<Taint> taints,
    boolean unschedulable,
    Resources allocatable,
    long allowedPods) {

  public static NodeFacts parse(JsonNode node) {
    JsonNode status = node.path("status");
    JsonNode allocatable = status.path("allocatable");
    if (!allocatable.isObject() || allocatable.isEmpty()) {
      allocatable = status.path("capacity");
    }
    long pods =
        Resources.whole(Quantity.parse(allocatable.path(Resources.PODS)).orElse(BigDecimal.ZERO));
    return new NodeFacts(
        Meta.name(node),
        Map.copyOf(Meta.labels(node)),
        withReadiness(Taint.parse(node.path("spec").path("taints")), ready(status)),
        node.path("spec").path("unschedulable").asBoolean(false),
        Resources.parse(allocatable),
        pods);
  }

  private static String ready(JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return c.path("status").asText("Unknown");
      }
    }
    return "False";
  }

  private static List<Taint> withReadiness(List<Taint> taints, String ready) {
    if ("True".equals(ready)) {
      return taints;
    }
    String key = "Unknown".equals(ready) ? Taint.UNREACHABLE : Taint.NOT_READY;
    for (Taint t : taints) {
      if (t.key().equals(key) && t.forbidsScheduling()) {
        return taints;
      }
    }
    List<Taint> all = new ArrayList<>(taints);
    all.add(Taint.of(key, "", Taint.NO_SCHEDULE));
    return List.copyOf(all);
  }
}
