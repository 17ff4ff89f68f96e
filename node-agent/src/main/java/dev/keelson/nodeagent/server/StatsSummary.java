package dev.keelson.nodeagent.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.Usage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /stats/summary}, in the shape of the kubelet's Summary API: the CPU and memory every
 * running container of the host's pods uses now, per pod, and their sum for the node. With the
 * simulated runtime the figures are synthetic, which is what scale tests of metrics need.
 */
final class StatsSummary {

  private final Vertx vertx;
  private final ContainerRuntime runtime;

  StatsSummary(Vertx vertx, ContainerRuntime runtime) {
    this.vertx = vertx;
    this.runtime = runtime;
  }

  void serve(HttpServerRequest request) {
    vertx
        .executeBlocking(this::summary)
        .onComplete(
            r -> {
              if (r.failed()) {
                AgentServer.text(
                    request, 503, "cannot read the runtime: " + r.cause().getMessage());
              } else {
                request
                    .response()
                    .putHeader("content-type", "application/json")
                    .end(r.result().toString());
              }
            });
  }

  private ObjectNode summary() {
    String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Map<String, ObjectNode> pods = new LinkedHashMap<>();
    long nodeCpu = 0;
    long nodeMemory = 0;
    for (RuntimeContainer container : runtime.list(Map.of())) {
      String uid = container.labels().get(PodContainers.POD_UID);
      String name = container.labels().get(PodContainers.CONTAINER);
      if (uid == null
          || name == null
          || name.equals(PodContainers.SANDBOX)
          || container.state() != RuntimeContainer.State.RUNNING) {
        continue;
      }
      Optional<Usage> usage = runtime.usage(container.id());
      if (usage.isEmpty()) {
        continue;
      }
      ObjectNode pod =
          pods.computeIfAbsent(
              uid,
              u -> {
                ObjectNode p = Json.object();
                p.putObject("podRef")
                    .put("name", container.labels().get(PodContainers.POD_NAME))
                    .put("namespace", container.labels().get(PodContainers.POD_NAMESPACE))
                    .put("uid", u);
                p.put("nodeName", container.labels().getOrDefault(PodContainers.NODE, ""));
                p.putArray("containers");
                return p;
              });
      ObjectNode entry = ((ArrayNode) pod.get("containers")).addObject();
      entry.put("name", name);
      usage(entry, usage.get().nanoCores(), usage.get().memoryBytes(), time);
      nodeCpu += usage.get().nanoCores();
      nodeMemory += usage.get().memoryBytes();
    }
    ObjectNode summary = Json.object();
    usage(summary.putObject("node"), nodeCpu, nodeMemory, time);
    ArrayNode list = summary.putArray("pods");
    for (ObjectNode pod : pods.values()) {
      long cpu = 0;
      long memory = 0;
      for (var c : pod.get("containers")) {
        cpu += c.path("cpu").path("usageNanoCores").asLong();
        memory += c.path("memory").path("workingSetBytes").asLong();
      }
      usage(pod, cpu, memory, time);
      list.add(pod);
    }
    return summary;
  }

  private static void usage(ObjectNode into, long nanoCores, long memoryBytes, String time) {
    into.putObject("cpu").put("time", time).put("usageNanoCores", nanoCores);
    into.putObject("memory")
        .put("time", time)
        .put("workingSetBytes", memoryBytes)
        .put("usageBytes", memoryBytes);
  }
}
