package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a pod asks of a node, as upstream's {@code resource.PodRequests}: its containers run
 * together, so their requests add up; its init containers run one after another, each beside the
 * sidecars (restartPolicy Always) started before it, so the pod needs the larger of the two; the
 * pod's overhead comes on top. A resource a container limits but does not request is requested at
 * its limit, as the API's defaulting stores it.
 *
 * <p>{@code nonZero} is the same with 100m cpu and 200Mi memory for a container that names no cpu
 * or memory request: what upstream's scoring counts, so that pods without requests still spread.
 */
public record PodRequests(Resources requests, long nonZeroMilliCpu, long nonZeroMemory) {

  public static final long DEFAULT_MILLI_CPU = 100;
  public static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

  public static final PodRequests NONE = new PodRequests(Resources.ZERO, 0, 0);

  /** The requests of the pod whose {@code spec} is given. */
  public static PodRequests of(JsonNode spec) {
    Resources sum = Resources.ZERO;
    long cpu = 0;
    long memory = 0;
    for (JsonNode c : spec.path("containers")) {
      Container container = Container.of(c);
      sum = sum.plus(container.requests);
      cpu += container.nonZeroCpu();
      memory += container.nonZeroMemory();
    }
    Resources sidecars = Resources.ZERO;
    long sidecarCpu = 0;
    long sidecarMemory = 0;
    Resources init = Resources.ZERO;
    long initCpu = 0;
    long initMemory = 0;
    for (JsonNode c : spec.path("initContainers")) {
      Container container = Container.of(c);
      if ("Always".equals(c.path("restartPolicy").asText(""))) {
        sum = sum.plus(container.requests);
        cpu += container.nonZeroCpu();
        memory += container.nonZeroMemory();
        sidecars = sidecars.plus(container.requests);
        sidecarCpu += container.nonZeroCpu();
        sidecarMemory += container.nonZeroMemory();
        init = init.max(sidecars);
        initCpu = Math.max(initCpu, sidecarCpu);
        initMemory = Math.max(initMemory, sidecarMemory);
      } else {
        init = init.max(container.requests.plus(sidecars));
        initCpu = Math.max(initCpu, container.nonZeroCpu() + sidecarCpu);
        initMemory = Math.max(initMemory, container.nonZeroMemory() + sidecarMemory);
      }
    }
    Resources requests = sum.max(init);
    cpu = Math.max(cpu, initCpu);
    memory = Math.max(memory, initMemory);
    Resources overhead = Resources.parse(spec.path("overhead"));
    return new PodRequests(
        requests.plus(overhead), cpu + overhead.milliCpu(), memory + overhead.memory());
  }

  private record Container(Resources requests, boolean namesCpu, boolean namesMemory) {

    static Container of(JsonNode container) {
      JsonNode resources = container.path("resources");
      JsonNode requests = resources.path("requests");
      JsonNode limits = resources.path("limits");
      JsonNode effective = requests;
      if (limits.isObject() && !limits.isEmpty()) {
        ObjectNode merged = limits.deepCopy();
        if (requests.isObject()) {
          merged.setAll((ObjectNode) requests);
        }
        effective = merged;
      }
      return new Container(
          Resources.parse(effective),
          effective.has(Resources.CPU),
          effective.has(Resources.MEMORY));
    }

    long nonZeroCpu() {
      return namesCpu ? requests.milliCpu() : DEFAULT_MILLI_CPU;
    }

    long nonZeroMemory() {
      return namesMemory ? requests.memory() : DEFAULT_MEMORY;
    }
  }
}
