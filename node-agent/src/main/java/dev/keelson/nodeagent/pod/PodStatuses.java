package dev.keelson.nodeagent.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A pod's status as the kubelet computes it, from what the agent observed: the phase, the four
 * conditions, and the state of every container. A pure function; the times of conditions carry over
 * from the previous status while they hold, so a status that did not change is equal to the one
 * already written and needs no write.
 */
public final class PodStatuses {

  private PodStatuses() {}

  /**
   * The status of {@code pod}.
   *
   * @param runtimeScheme the prefix of container ids, e.g. {@code docker}
   */
  public static ObjectNode status(
      JsonNode pod,
      List<ContainerView> initContainers,
      List<ContainerView> containers,
      String podIp,
      String hostIp,
      String runtimeScheme,
      Instant now) {
    JsonNode previous = pod.path("status");
    String restartPolicy = pod.path("spec").path("restartPolicy").asText("Always");
    boolean initialized = initContainers.stream().allMatch(ContainerView::succeeded);
    boolean initFailed =
        restartPolicy.equals("Never")
            && initContainers.stream().anyMatch(c -> c.exited() && !c.succeeded());
    String phase =
        initFailed ? "Failed" : initialized ? phase(containers, restartPolicy) : "Pending";
    boolean containersReady =
        initialized && !containers.isEmpty() && containers.stream().allMatch(ContainerView::ready);

    ObjectNode status = Json.object();
    status.put("phase", phase);
    ArrayNode conditions = status.putArray("conditions");
    condition(conditions, previous, "Initialized", initialized, now, "ContainersNotInitialized");
    condition(conditions, previous, "Ready", containersReady, now, "ContainersNotReady");
    condition(conditions, previous, "ContainersReady", containersReady, now, "ContainersNotReady");
    condition(conditions, previous, "PodScheduled", true, now, null);
    status.put("hostIP", hostIp);
    status.putArray("hostIPs").addObject().put("ip", hostIp);
    if (podIp != null && !podIp.isEmpty()) {
      status.put("podIP", podIp);
      status.putArray("podIPs").addObject().put("ip", podIp);
    }
    status.put(
        "startTime",
        previous.hasNonNull("startTime")
            ? previous.get("startTime").asText()
            : now.truncatedTo(ChronoUnit.SECONDS).toString());
    if (!initContainers.isEmpty()) {
      ArrayNode inits = status.putArray("initContainerStatuses");
      initContainers.forEach(c -> inits.add(container(c, runtimeScheme)));
    }
    ArrayNode statuses = status.putArray("containerStatuses");
    containers.forEach(c -> statuses.add(container(c, runtimeScheme)));
    status.put("qosClass", previous.path("qosClass").asText(qosClass(pod)));
    return status;
  }

  /** Upstream's phase of a pod whose init containers are done. */
  static String phase(List<ContainerView> containers, String restartPolicy) {
    int waiting = 0;
    int running = 0;
    int succeeded = 0;
    int failed = 0;
    for (ContainerView c : containers) {
      if (c.running()) {
        running++;
      } else if (c.neverRan()) {
        waiting++;
      } else if (c.succeeded() || (!c.exited() && lastSucceeded(c))) {
        succeeded++;
      } else {
        failed++;
      }
    }
    if (waiting > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    return switch (restartPolicy) {
      case "Always" -> "Running";
      case "OnFailure" -> failed > 0 ? "Running" : "Succeeded";
      default -> failed > 0 ? "Failed" : "Succeeded";
    };
  }

  private static boolean lastSucceeded(ContainerView c) {
    RuntimeContainer last = c.previous();
    return last != null && last.exitCode() != null && last.exitCode() == 0;
  }

  private static void condition(
      ArrayNode conditions,
      JsonNode previous,
      String type,
      boolean value,
      Instant now,
      String falseReason) {
    String status = value ? "True" : "False";
    ObjectNode condition = conditions.addObject();
    condition.put("type", type);
    condition.put("status", status);
    condition.putNull("lastProbeTime");
    String since = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (JsonNode old : previous.path("conditions")) {
      if (old.path("type").asText().equals(type)
          && old.path("status").asText().equals(status)
          && old.hasNonNull("lastTransitionTime")) {
        since = old.get("lastTransitionTime").asText();
      }
    }
    condition.put("lastTransitionTime", since);
    if (!value && falseReason != null) {
      condition.put("reason", falseReason);
    }
  }

  private static ObjectNode container(ContainerView view, String scheme) {
    ObjectNode status = Json.object();
    status.put("name", view.name());
    ObjectNode state = status.putObject("state");
    RuntimeContainer current = view.current();
    if (view.waitingReason() != null) {
      ObjectNode waiting = state.putObject("waiting").put("reason", view.waitingReason());
      if (view.waitingMessage() != null) {
        waiting.put("message", view.waitingMessage());
      }
    } else if (view.running()) {
      state.putObject("running").put("startedAt", time(current.startedAt()));
    } else if (view.exited()) {
      state.set("terminated", terminated(current, scheme));
    } else {
      state.putObject("waiting").put("reason", "ContainerCreating");
    }
    ObjectNode last = status.putObject("lastState");
    RuntimeContainer before = view.waitingReason() != null && view.exited() ? current : null;
    if (before == null) {
      before = view.previous();
    }
    if (before != null && before.state() == RuntimeContainer.State.EXITED) {
      last.set("terminated", terminated(before, scheme));
    }
    status.put("ready", view.ready());
    status.put("restartCount", view.restartCount());
    status.put("image", view.image());
    String imageId = current != null && current.imageId() != null ? current.imageId() : "";
    status.put("imageID", imageId.isEmpty() ? "" : scheme + "-pullable://" + imageId);
    if (current != null) {
      status.put("containerID", scheme + "://" + current.id());
    }
    status.put("started", view.started());
    return status;
  }

  private static ObjectNode terminated(RuntimeContainer container, String scheme) {
    ObjectNode terminated = Json.object();
    int exit = container.exitCode() == null ? 0 : container.exitCode();
    terminated.put("exitCode", exit);
    terminated.put(
        "reason",
        container.error() != null ? "ContainerCannotRun" : exit == 0 ? "Completed" : "Error");
    if (container.error() != null) {
      terminated.put("message", container.error());
    }
    if (container.startedAt() != null) {
      terminated.put("startedAt", time(container.startedAt()));
    }
    if (container.finishedAt() != null) {
      terminated.put("finishedAt", time(container.finishedAt()));
    }
    terminated.put("containerID", scheme + "://" + container.id());
    return terminated;
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Guaranteed, Burstable or BestEffort, from the containers' requests and limits. */
  static String qosClass(JsonNode pod) {
    boolean any = false;
    boolean guaranteed = true;
    for (JsonNode container : pod.path("spec").path("containers")) {
      JsonNode resources = container.path("resources");
      JsonNode limits = resources.path("limits");
      JsonNode requests = resources.path("requests");
      any |= limits.size() > 0 || requests.size() > 0;
      for (String resource : List.of("cpu", "memory")) {
        JsonNode limit = limits.get(resource);
        JsonNode request = requests.get(resource);
        if (limit == null || (request != null && !request.asText().equals(limit.asText()))) {
          guaranteed = false;
        }
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }
}
