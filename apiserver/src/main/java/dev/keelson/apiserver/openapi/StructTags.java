package dev.keelson.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * What the Go struct tags of upstream's types say and the fabric8 classes do not: how a strategic
 * merge patch merges a list (x-kubernetes-patch-strategy, x-kubernetes-patch-merge-key), and which
 * plain strings are timestamps.
 */
final class StructTags {

  private static final String CORE = "io.k8s.api.core.v1.";
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

  /** "Definition.field" to {strategy, merge key or ""}, from upstream's types.go. */
  private static final Map<String, String[]> STRATEGIES =
      Map.ofEntries(
          merge(CORE + "PodSpec.containers", "name"),
          merge(CORE + "PodSpec.initContainers", "name"),
          merge(CORE + "PodSpec.ephemeralContainers", "name"),
          merge(CORE + "PodSpec.imagePullSecrets", "name"),
          merge(CORE + "PodSpec.hostAliases", "ip"),
          merge(CORE + "PodSpec.topologySpreadConstraints", "topologyKey"),
          merge(CORE + "PodSpec.schedulingGates", "name"),
          Map.entry(CORE + "PodSpec.volumes", new String[] {"merge,retainKeys", "name"}),
          Map.entry(CORE + "PodSpec.resourceClaims", new String[] {"merge,retainKeys", "name"}),
          merge(CORE + "Container.ports", "containerPort"),
          merge(CORE + "Container.env", "name"),
          merge(CORE + "Container.volumeMounts", "mountPath"),
          merge(CORE + "Container.volumeDevices", "devicePath"),
          merge(CORE + "EphemeralContainer.ports", "containerPort"),
          merge(CORE + "EphemeralContainer.env", "name"),
          merge(CORE + "EphemeralContainer.volumeMounts", "mountPath"),
          merge(CORE + "EphemeralContainer.volumeDevices", "devicePath"),
          merge(CORE + "PodStatus.conditions", "type"),
          merge(CORE + "PodStatus.podIPs", "ip"),
          merge(CORE + "PodStatus.hostIPs", "ip"),
          merge(CORE + "NodeSpec.podCIDRs", ""),
          merge(CORE + "NodeStatus.conditions", "type"),
          merge(CORE + "NodeStatus.addresses", "type"),
          merge(CORE + "ServiceSpec.ports", "port"),
          merge(CORE + "ServiceStatus.conditions", "type"),
          merge(CORE + "NamespaceStatus.conditions", "type"),
          merge(CORE + "ServiceAccount.secrets", "name"),
          merge(META + "ObjectMeta.finalizers", ""),
          merge(META + "ObjectMeta.ownerReferences", "uid"),
          Map.entry("io.k8s.api.apps.v1.DeploymentSpec.strategy", new String[] {"retainKeys", ""}),
          merge("io.k8s.api.apps.v1.DeploymentStatus.conditions", "type"),
          merge("io.k8s.api.apps.v1.ReplicaSetStatus.conditions", "type"),
          merge("io.k8s.api.batch.v1.JobStatus.conditions", "type"),
          merge("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus.conditions", "type"));

  /** Fields that fabric8 types as String and upstream as meta/v1 Time. */
  private static final Set<String> TIMES =
      Set.of(
          "creationTimestamp",
          "deletionTimestamp",
          "lastTransitionTime",
          "lastUpdateTime",
          "lastProbeTime",
          "lastHeartbeatTime",
          "lastScaleTime",
          "startTime",
          "completionTime",
          "startedAt",
          "finishedAt",
          "firstTimestamp",
          "lastTimestamp",
          "time");

  private StructTags() {}

  private static Map.Entry<String, String[]> merge(String field, String key) {
    return Map.entry(field, new String[] {"merge", key});
  }

  /** Adds the patch extensions of {@code definition.field}, if upstream declares any. */
  static void annotate(String definition, String field, ObjectNode schema) {
    String[] strategy = STRATEGIES.get(definition + "." + field);
    if (strategy == null) {
      return;
    }
    schema.put("x-kubernetes-patch-strategy", strategy[0]);
    if (!strategy[1].isEmpty()) {
      schema.put("x-kubernetes-patch-merge-key", strategy[1]);
    }
  }

  static boolean isTime(String field) {
    return TIMES.contains(field);
  }
}
