package dev.keelson.nodeagent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Quantity;
import java.math.BigDecimal;
import java.util.OptionalLong;

/**
 * The CPU a pod on a simulated node says it uses: the annotation {@code keelson.dev/simulated-cpu}
 * (a quantity such as {@code 450m}) is what each of its containers reports, so that tests can drive
 * load and autoscalers see it. Without it, a simulated container reports the runtime's small
 * synthetic figure.
 */
public final class SimulatedLoad {

  public static final String ANNOTATION = "keelson.dev/simulated-cpu";

  private SimulatedLoad() {}

  /** Each container's CPU use in billionths of a core; empty without (or with a bad) annotation. */
  public static OptionalLong nanoCores(JsonNode pod) {
    JsonNode value = pod.path("metadata").path("annotations").path(ANNOTATION);
    if (!value.isTextual()) {
      return OptionalLong.empty();
    }
    return Quantity.parse(value.asText())
        .filter(q -> q.signum() >= 0)
        .map(q -> OptionalLong.of(q.multiply(BigDecimal.valueOf(1_000_000_000L)).longValue()))
        .orElse(OptionalLong.empty());
  }
}
