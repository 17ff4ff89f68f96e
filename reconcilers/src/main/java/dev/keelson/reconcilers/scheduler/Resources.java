package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * An amount of the resources the scheduler counts: cpu (millicores), memory and ephemeral storage
 * (bytes), and any other named resource (extended resources, hugepages) as a whole number, as
 * upstream's {@code framework.Resource}. Quantities round up, as upstream's MilliValue and Value.
 */
public record Resources(
    long milliCpu, long memory, long ephemeralStorage, Map<String, Long> scalars) {

  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  public static final String PODS = "pods";

  public static final Resources ZERO = new Resources(0, 0, 0, Map.of());

  public Resources {
    scalars = scalars.isEmpty() ? Map.of() : Map.copyOf(scalars);
  }

  public static Resources of(long milliCpu, long memory) {
    return new Resources(milliCpu, memory, 0, Map.of());
  }

  public long scalar(String name) {
    Long value = scalars.get(name);
    return value == null ? 0 : value;
  }

  public boolean isZero() {
    return milliCpu == 0 && memory == 0 && ephemeralStorage == 0 && scalars.isEmpty();
  }

  public Resources plus(Resources o) {
    return new Resources(
        milliCpu + o.milliCpu,
        memory + o.memory,
        ephemeralStorage + o.ephemeralStorage,
        merge(scalars, o.scalars, 1));
  }

  public Resources minus(Resources o) {
    return new Resources(
        milliCpu - o.milliCpu,
        memory - o.memory,
        ephemeralStorage - o.ephemeralStorage,
        merge(scalars, o.scalars, -1));
  }

  /** Each resource the larger of the two. */
  public Resources max(Resources o) {
    Map<String, Long> s = new HashMap<>(scalars);
    o.scalars.forEach((k, v) -> s.merge(k, v, Math::max));
    return new Resources(
        Math.max(milliCpu, o.milliCpu),
        Math.max(memory, o.memory),
        Math.max(ephemeralStorage, o.ephemeralStorage),
        s);
  }

  private static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b, int sign) {
    if (b.isEmpty()) {
      return a;
    }
    Map<String, Long> s = new HashMap<>(a);
    b.forEach((k, v) -> s.merge(k, sign * v, Long::sum));
    for (Iterator<Long> it = s.values().iterator(); it.hasNext(); ) {
      if (it.next() == 0) {
        it.remove();
      }
    }
    return s;
  }

  /** A resource list ({@code {"cpu": "500m", ...}}); {@code pods} and unreadable values skipped. */
  public static Resources parse(JsonNode list) {
    if (!list.isObject() || list.isEmpty()) {
      return ZERO;
    }
    long cpu = 0;
    long memory = 0;
    long ephemeral = 0;
    Map<String, Long> scalars = Map.of();
    for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Optional<BigDecimal> value = Quantity.parse(e.getValue());
      if (value.isEmpty()) {
        continue;
      }
      switch (e.getKey()) {
        case CPU -> cpu = milli(value.get());
        case MEMORY -> memory = whole(value.get());
        case EPHEMERAL_STORAGE -> ephemeral = whole(value.get());
        case PODS -> {}
        default -> {
          if (scalars.isEmpty()) {
            scalars = new HashMap<>();
          }
          scalars.put(e.getKey(), whole(value.get()));
        }
      }
    }
    return new Resources(cpu, memory, ephemeral, scalars);
  }

  static long milli(BigDecimal value) {
    return whole(value.movePointRight(3));
  }

  static long whole(BigDecimal value) {
    BigDecimal rounded = value.setScale(0, RoundingMode.CEILING);
    if (rounded.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Long.MAX_VALUE;
    }
    if (rounded.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
      return Long.MIN_VALUE;
    }
    return rounded.longValue();
  }
}
