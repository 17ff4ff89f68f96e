package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the scheduler needs of a pod, read once from its JSON: who it is, whether it is this
 * scheduler's to place, what it asks of a node and which nodes it will or will not share.
 *
 * @param requiredNodeAffinity the terms of which one must match, or null when the pod has none
 * @param nodeNames the only nodes its node affinity allows by name, or null when it names none
 * @param owner its controller (namespace/kind/name), or null: pods of one owner spread
 * @param scheduled the PodScheduled condition as the pod has it (status, reason, message), or null
 */
public record PodInfo(
    ResourceKey key,
    long revision,
    String uid,
    Map<String, String> labels,
    String schedulerName,
    String nodeName,
    String phase,
    boolean deleting,
    boolean gated,
    PodRequests requests,
    List<HostPort> hostPorts,
    List<Toleration> tolerations,
    Map<String, String> nodeSelector,
    List<NodeSelectorTerm> requiredNodeAffinity,
    Set<String> nodeNames,
    List<WeightedTerm> preferredNodeAffinity,
    List<PodAffinityTerm> affinity,
    List<PodAffinityTerm> antiAffinity,
    String owner,
    Condition scheduled) {

  public static final String DEFAULT_SCHEDULER = "default-scheduler";

  /** A condition of the pod's status, as far as the scheduler writes it. */
  public record Condition(String status, String reason, String message) {}

  /** A preferred node affinity term and its weight. */
  public record WeightedTerm(int weight, NodeSelectorTerm term) {}

  public String namespace() {
    return key.namespace();
  }

  public String name() {
    return key.name();
  }

  /** Succeeded or Failed: it holds nothing on its node any more. */
  public boolean terminal() {
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** Whether this scheduler is to place it: unbound, ours, alive, not finished. */
  public boolean waitsForScheduler() {
    return nodeName.isEmpty()
        && (schedulerName.isEmpty() || DEFAULT_SCHEDULER.equals(schedulerName))
        && !deleting
        && !terminal();
  }

  public PodInfo withLabels(Map<String, String> newLabels) {
    return new PodInfo(
        key,
        revision,
        uid,
        Map.copyOf(newLabels),
        schedulerName,
        nodeName,
        phase,
        deleting,
        gated,
        requests,
        hostPorts,
        tolerations,
        nodeSelector,
        requiredNodeAffinity,
        nodeNames,
        preferredNodeAffinity,
        affinity,
        antiAffinity,
        owner,
        scheduled);
  }

  public static PodInfo parse(JsonNode pod, long revision) {
    JsonNode spec = pod.path("spec");
    JsonNode metadata = pod.path("metadata");
    String namespace = Meta.namespace(pod);
    JsonNode nodeAffinity = spec.path("affinity").path("nodeAffinity");
    JsonNode required = nodeAffinity.path("requiredDuringSchedulingIgnoredDuringExecution");
    List<NodeSelectorTerm> requiredTerms =
        required.isObject()
            ? NodeSelectorTerm.parseTerms(required.path("nodeSelectorTerms"))
            : null;
    return new PodInfo(
        ResourceKey.of("", "Pod", namespace, Meta.name(pod)),
        revision,
        Meta.uid(pod),
        Map.copyOf(Meta.labels(pod)),
        spec.path("schedulerName").asText(""),
        spec.path("nodeName").asText(""),
        pod.path("status").path("phase").asText(""),
        metadata.hasNonNull("deletionTimestamp"),
        spec.path("schedulingGates").isArray() && !spec.path("schedulingGates").isEmpty(),
        PodRequests.of(spec),
        HostPort.parse(spec),
        Toleration.parse(spec.path("tolerations")),
        stringMap(spec.path("nodeSelector")),
        requiredTerms,
        requiredTerms == null ? null : namedNodes(requiredTerms),
        preferred(nodeAffinity.path("preferredDuringSchedulingIgnoredDuringExecution")),
        PodAffinityTerm.parse(
            spec.path("affinity")
                .path("podAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution"),
            namespace),
        PodAffinityTerm.parse(
            spec.path("affinity")
                .path("podAntiAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution"),
            namespace),
        owner(metadata, namespace),
        scheduledCondition(pod.path("status").path("conditions")));
  }

  /** The union over the terms of the names each term is limited to; null if one names none. */
  private static Set<String> namedNodes(List<NodeSelectorTerm> terms) {
    if (terms.isEmpty()) {
      return null;
    }
    Set<String> union = new LinkedHashSet<>();
    for (NodeSelectorTerm term : terms) {
      Set<String> named = term.namedNodes();
      if (named == null) {
        return null;
      }
      union.addAll(named);
    }
    return Set.copyOf(union);
  }

  private static List<WeightedTerm> preferred(JsonNode terms) {
    if (!terms.isArray() || terms.isEmpty()) {
      return List.of();
    }
    List<WeightedTerm> list = new ArrayList<>();
    for (JsonNode t : terms) {
      list.add(
          new WeightedTerm(
              t.path("weight").asInt(0), NodeSelectorTerm.parse(t.path("preference"))));
    }
    return List.copyOf(list);
  }

  private static String owner(JsonNode metadata, String namespace) {
    for (JsonNode ref : metadata.path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        return namespace + "/" + ref.path("kind").asText("") + "/" + ref.path("name").asText("");
      }
    }
    return null;
  }

  private static Condition scheduledCondition(JsonNode conditions) {
    for (JsonNode c : conditions) {
      if ("PodScheduled".equals(c.path("type").asText())) {
        return new Condition(
            c.path("status").asText(""),
            c.path("reason").asText(null),
            c.path("message").asText(null));
      }
    }
    return null;
  }

  private static Map<String, String> stringMap(JsonNode object) {
    if (!object.isObject() || object.isEmpty()) {
      return Map.of();
    }
    Map<String, String> map = new HashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return Map.copyOf(map);
  }
}
