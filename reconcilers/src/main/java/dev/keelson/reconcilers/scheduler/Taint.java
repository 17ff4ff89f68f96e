package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A node taint. {@code reason} is the scheduler's message for a node whose taint a pod does not
 * tolerate, built once with the taint (upstream's "node(s) had untolerated taint {key: value}").
 */
public record Taint(String key, String value, String effect, String reason) {

  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String NO_EXECUTE = "NoExecute";
  public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";

  /** The taints upstream's node lifecycle controller puts on nodes whose Ready is False/Unknown. */
  public static final String NOT_READY = "node.kubernetes.io/not-ready";

  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

  public static Taint of(String key, String value, String effect) {
    String v = value == null ? "" : value;
    return new Taint(key, v, effect, "node(s) had untolerated taint {" + key + ": " + v + "}");
  }

  /** Whether the filter must see it: NoSchedule and NoExecute taints keep a pod off a node. */
  public boolean forbidsScheduling() {
    return NO_SCHEDULE.equals(effect) || NO_EXECUTE.equals(effect);
  }

  static List<Taint> parse(JsonNode taints) {
    if (!taints.isArray() || taints.isEmpty()) {
      return List.of();
    }
    List<Taint> list = new ArrayList<>(taints.size());
    for (JsonNode t : taints) {
      list.add(
          of(t.path("key").asText(""), t.path("value").asText(""), t.path("effect").asText("")));
    }
    return List.copyOf(list);
  }
}
