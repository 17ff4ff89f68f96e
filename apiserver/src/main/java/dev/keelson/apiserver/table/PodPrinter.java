package dev.keelson.apiserver.table;

import static dev.keelson.apiserver.table.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.keelson.api.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods, as upstream's printPod: READY counts ready containers (and started sidecars), STATUS is the
 * most telling reason among phase, init containers, containers and deletion, RESTARTS carries the
 * time of the last restart.
 */
final class PodPrinter implements Printer {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Ready", "The aggregate readiness state of this pod for accepting traffic."),
          Column.string("Status", "The aggregate status of the containers in this pod."),
          Column.string(
              "Restarts",
              "The number of times the containers in this pod have been restarted and when the"
                  + " last container in this pod has restarted."),
          Column.objectAge(),
          Column.wide("IP", Docs.POD_IP),
          Column.wide("Node", Docs.POD_NODE_NAME),
          Column.wide("Nominated Node", Docs.POD_NOMINATED_NODE_NAME),
          Column.wide("Readiness Gates", Docs.POD_READINESS_GATES));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode pod, Instant now) {
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    String phase = text(status.path("phase"));
    String reason = text(status.path("reason")).isEmpty() ? phase : text(status.path("reason"));
    for (JsonNode c : status.path("conditions")) {
      if ("PodScheduled".equals(text(c.path("type")))
          && "SchedulingGated".equals(text(c.path("reason")))) {
        reason = "SchedulingGated";
      }
    }

    int total = spec.path("containers").size();
    Map<String, Boolean> sidecar = new HashMap<>();
    for (JsonNode c : spec.path("initContainers")) {
      boolean restartable = "Always".equals(text(c.path("restartPolicy")));
      sidecar.put(text(c.path("name")), restartable);
      if (restartable) {
        total++;
      }
    }

    int ready = 0;
    long restarts = 0;
    long sidecarRestarts = 0;
    Instant lastRestart = null;
    Instant lastSidecarRestart = null;
    boolean initializing = false;
    JsonNode initStatuses = status.path("initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode c = initStatuses.get(i);
      boolean isSidecar = sidecar.getOrDefault(text(c.path("name")), false);
      restarts += c.path("restartCount").asLong(0);
      lastRestart = later(lastRestart, lastTermination(c));
      if (isSidecar) {
        sidecarRestarts += c.path("restartCount").asLong(0);
        lastSidecarRestart = later(lastSidecarRestart, lastTermination(c));
      }
      JsonNode terminated = c.path("state").path("terminated");
      JsonNode waiting = c.path("state").path("waiting");
      if (terminated.isObject() && terminated.path("exitCode").asLong(0) == 0) {
        continue;
      } else if (isSidecar && c.path("started").asBoolean(false)) {
        if (c.path("ready").asBoolean(false)) {
          ready++;
        }
        continue;
      } else if (terminated.isObject()) {
        reason = "Init:" + terminatedReason(terminated);
      } else if (waiting.isObject()
          && !text(waiting.path("reason")).isEmpty()
          && !"PodInitializing".equals(text(waiting.path("reason")))) {
        reason = "Init:" + text(waiting.path("reason"));
      } else {
        reason = "Init:" + i + "/" + spec.path("initContainers").size();
      }
      initializing = true;
      break;
    }

    if (!initializing || Fields.conditionTrue(status.path("conditions"), "Initialized")) {
      restarts = sidecarRestarts;
      lastRestart = lastSidecarRestart;
      boolean hasRunning = false;
      JsonNode statuses = status.path("containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode c = statuses.get(i);
        restarts += c.path("restartCount").asLong(0);
        lastRestart = later(lastRestart, lastTermination(c));
        JsonNode waiting = c.path("state").path("waiting");
        JsonNode terminated = c.path("state").path("terminated");
        if (waiting.isObject() && !text(waiting.path("reason")).isEmpty()) {
          reason = text(waiting.path("reason"));
        } else if (terminated.isObject()) {
          reason = terminatedReason(terminated);
        } else if (c.path("ready").asBoolean(false) && c.path("state").path("running").isObject()) {
          hasRunning = true;
          ready++;
        }
      }
      // A pod whose last container completed while another still runs is not done.
      if ("Completed".equals(reason) && hasRunning) {
        reason = hasReadyCondition(status) ? "Running" : "NotReady";
      }
    }

    if (Fields.deleting(pod) && "NodeLost".equals(text(status.path("reason")))) {
      reason = "Unknown";
    } else if (Fields.deleting(pod) && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
      reason = "Terminating";
    }

    String restartCell = Long.toString(restarts);
    if (restarts != 0 && lastRestart != null) {
      restartCell = restarts + " (" + HumanDuration.since(lastRestart, now) + " ago)";
    }
    return List.of(
        text(pod.path("metadata").path("name")),
        ready + "/" + total,
        reason,
        restartCell,
        Fields.age(pod, now),
        orNone(podIp(status)),
        orNone(text(spec.path("nodeName"))),
        orNone(text(status.path("nominatedNodeName"))),
        readinessGates(spec, status));
  }

  @Override
  public ArrayNode conditions(JsonNode pod) {
    String phase = text(pod.path("status").path("phase"));
    String message =
        switch (phase) {
          case "Succeeded" -> "The pod has completed successfully.";
          case "Failed" -> "The pod failed.";
          default -> null;
        };
    if (message == null) {
      return null;
    }
    ArrayNode conditions = Json.mapper().createArrayNode();
    conditions
        .addObject()
        .put("type", "Completed")
        .put("status", "True")
        .put("reason", phase)
        .put("message", message);
    return conditions;
  }

  private static String terminatedReason(JsonNode terminated) {
    if (!text(terminated.path("reason")).isEmpty()) {
      return text(terminated.path("reason"));
    }
    long signal = terminated.path("signal").asLong(0);
    return signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asLong(0);
  }

  private static Instant lastTermination(JsonNode containerStatus) {
    return Fields.time(containerStatus.path("lastState").path("terminated").path("finishedAt"));
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || (b != null && b.isAfter(a)) ? b : a;
  }

  private static boolean hasReadyCondition(JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if ("Ready".equals(text(c.path("type"))) && "True".equals(text(c.path("status")))) {
        return true;
      }
    }
    return false;
  }

  /** podIPs[0], or podIP for a status written without podIPs (upstream converts one to other). */
  private static String podIp(JsonNode status) {
    String first = text(status.path("podIPs").path(0).path("ip"));
    return first.isEmpty() ? text(status.path("podIP")) : first;
  }

  private static String readinessGates(JsonNode spec, JsonNode status) {
    JsonNode gates = spec.path("readinessGates");
    if (gates.isEmpty()) {
      return "<none>";
    }
    int trueConditions = 0;
    for (JsonNode gate : gates) {
      for (JsonNode c : status.path("conditions")) {
        if (text(c.path("type")).equals(text(gate.path("conditionType")))) {
          if ("True".equals(text(c.path("status")))) {
            trueConditions++;
          }
          break;
        }
      }
    }
    return trueConditions + "/" + gates.size();
  }

  static String orNone(String value) {
    return value.isEmpty() ? "<none>" : value;
  }
}
