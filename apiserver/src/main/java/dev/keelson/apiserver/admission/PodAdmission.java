package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What upstream's admission plugins and pod strategy add to a new pod: the default service account
 * (ServiceAccount), its priority (Priority), five minutes of tolerance for unready and unreachable
 * nodes (DefaultTolerationSeconds), and a Pending status with its QoS class.
 */
final class PodAdmission {

  private static final Map<String, Integer> SYSTEM_PRIORITIES =
      Map.of("system-node-critical", 2000001000, "system-cluster-critical", 2000000000);
  private static final List<String> NODE_PROBLEMS =
      List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");

  private PodAdmission() {}

  static void admit(ObjectNode pod) {
    ObjectNode spec = PodDefaults.object(pod, "spec");
    if (Checks.text(spec, "serviceAccountName").isEmpty()) {
      spec.put("serviceAccountName", "default");
      spec.put("serviceAccount", "default");
    }
    if (!Checks.present(spec, "priority")) {
      spec.put(
          "priority", SYSTEM_PRIORITIES.getOrDefault(Checks.text(spec, "priorityClassName"), 0));
    }
    PodDefaults.putIfAbsent(spec, "preemptionPolicy", "PreemptLowerPriority");
    tolerations(spec);
    ObjectNode status = PodDefaults.object(pod, "status");
    PodDefaults.putIfAbsent(status, "phase", "Pending");
    PodDefaults.putIfAbsent(status, "qosClass", qosClass(spec));
  }

  /**
   * What the admission plugins do to a pod update: the default tolerations are added again (that
   * plugin runs on updates too), and a priority and preemption policy the update leaves out are
   * kept from the stored pod (as the Priority plugin keeps them), so that a client writing back a
   * pod it built itself does not change its spec.
   */
  static void admitUpdate(ObjectNode pod, JsonNode existing) {
    ObjectNode spec = PodDefaults.object(pod, "spec");
    JsonNode stored = existing.path("spec");
    for (String field : List.of("priority", "preemptionPolicy")) {
      if (!Checks.present(spec, field) && stored.has(field)) {
        spec.set(field, stored.get(field).deepCopy());
      }
    }
    tolerations(spec);
  }

  private static void tolerations(ObjectNode spec) {
    for (String key : NODE_PROBLEMS) {
      boolean tolerated = false;
      for (JsonNode toleration : spec.path("tolerations")) {
        String tolerationKey = Checks.text(toleration, "key");
        String effect = Checks.text(toleration, "effect");
        tolerated |=
            (tolerationKey.equals(key) || tolerationKey.isEmpty())
                && (effect.equals("NoExecute") || effect.isEmpty());
      }
      if (!tolerated) {
        ArrayNode list = PodDefaults.array(spec, "tolerations");
        list.addObject()
            .put("key", key)
            .put("operator", "Exists")
            .put("effect", "NoExecute")
            .put("tolerationSeconds", 300);
      }
    }
  }

  /** Upstream's {@code ComputePodQOS} over cpu and memory. */
  static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode container : spec.path(list)) {
        JsonNode requests = container.path("resources").path("requests");
        JsonNode limits = container.path("resources").path("limits");
        for (String resource : List.of("cpu", "memory")) {
          Optional<BigDecimal> request =
              Quantity.parse(requests.get(resource)).filter(q -> q.signum() != 0);
          Optional<BigDecimal> limit =
              Quantity.parse(limits.get(resource)).filter(q -> q.signum() != 0);
          any |= request.isPresent() || limit.isPresent();
          if (limit.isEmpty()
              || (request.isPresent() && request.get().compareTo(limit.get()) != 0)) {
            guaranteed = false;
          }
        }
      }
    }
    if (!any) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }
}
