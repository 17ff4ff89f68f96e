package dev.keelson.apiserver.patch;

import dev.keelson.api.GroupKind;
import java.util.Map;

/**
 * The patch metadata of the kinds Keelson serves, written from the {@code patchStrategy} and {@code
 * patchMergeKey} struct tags of upstream's k8s.io/api types. Shapes are shared the way the Go types
 * are: one PodSpec serves a Pod's spec and the pod template of a Deployment, ReplicaSet and Job.
 * Fields tagged {@code retainKeys} only (Deployment's strategy) need no entry: the {@code
 * $retainKeys} directive is honoured wherever a patch carries it.
 */
final class BuiltInPatchSchemas {

  /** metav1.ObjectMeta. */
  static final PatchSchema OBJECT_META =
      PatchSchema.builder()
          .mergePrimitives("finalizers")
          .mergeByKey("ownerReferences", "uid")
          .build();

  /** core/v1 Container; EphemeralContainer carries the same tags. */
  static final PatchSchema CONTAINER =
      PatchSchema.builder()
          .mergeByKey("ports", "containerPort")
          .mergeByKey("env", "name")
          .mergeByKey("volumeMounts", "mountPath")
          .mergeByKey("volumeDevices", "devicePath")
          .build();

  /** core/v1 PodSpec. Tolerations, readinessGates and the like have no strategy: replaced. */
  static final PatchSchema POD_SPEC =
      PatchSchema.builder()
          .mergeByKey("volumes", "name") // merge,retainKeys
          .mergeByKey("initContainers", "name", CONTAINER)
          .mergeByKey("containers", "name", CONTAINER)
          .mergeByKey("ephemeralContainers", "name", CONTAINER)
          .mergeByKey("imagePullSecrets", "name")
          .mergeByKey("hostAliases", "ip")
          .mergeByKey("topologySpreadConstraints", "topologyKey")
          .mergeByKey("schedulingGates", "name")
          .mergeByKey("resourceClaims", "name") // merge,retainKeys
          .build();

  static final PatchSchema POD_STATUS =
      PatchSchema.builder()
          .mergeByKey("conditions", "type")
          .mergeByKey("podIPs", "ip")
          .mergeByKey("hostIPs", "ip")
          .mergeByKey("resourceClaimStatuses", "name") // merge,retainKeys
          .build();

  static final PatchSchema POD_TEMPLATE_SPEC =
      PatchSchema.builder().object("metadata", OBJECT_META).object("spec", POD_SPEC).build();

  /** The spec of a Deployment, ReplicaSet or Job: only its pod template has metadata. */
  static final PatchSchema TEMPLATED_SPEC =
      PatchSchema.builder().object("template", POD_TEMPLATE_SPEC).build();

  /** The status of every kind whose conditions merge by type. */
  static final PatchSchema CONDITIONS_STATUS =
      PatchSchema.builder().mergeByKey("conditions", "type").build();

  static final PatchSchema SERVICE_SPEC = PatchSchema.builder().mergeByKey("ports", "port").build();

  /** core/v1 NodeSpec: podCIDRs merge; taints have no strategy and are replaced. */
  static final PatchSchema NODE_SPEC = PatchSchema.builder().mergePrimitives("podCIDRs").build();

  static final PatchSchema NODE_STATUS =
      PatchSchema.builder()
          .mergeByKey("conditions", "type")
          .mergeByKey("addresses", "type")
          .build();

  /** Kinds without list metadata of their own (ConfigMap, Secret, Endpoints, Event, Lease, ...). */
  static final PatchSchema METADATA_ONLY = root(PatchSchema.NONE, PatchSchema.NONE).build();

  private static final Map<GroupKind, PatchSchema> BY_KIND =
      Map.of(
          GroupKind.core("Pod"),
          root(POD_SPEC, POD_STATUS).build(),
          GroupKind.core("Service"),
          root(SERVICE_SPEC, CONDITIONS_STATUS).build(),
          GroupKind.core("Node"),
          root(NODE_SPEC, NODE_STATUS).build(),
          GroupKind.core("Namespace"),
          root(PatchSchema.NONE, CONDITIONS_STATUS).build(),
          GroupKind.core("ServiceAccount"),
          root(PatchSchema.NONE, PatchSchema.NONE).mergeByKey("secrets", "name").build(),
          new GroupKind("apps", "Deployment"),
          root(TEMPLATED_SPEC, CONDITIONS_STATUS).build(),
          new GroupKind("apps", "ReplicaSet"),
          root(TEMPLATED_SPEC, CONDITIONS_STATUS).build(),
          new GroupKind("batch", "Job"),
          root(TEMPLATED_SPEC, CONDITIONS_STATUS).build(),
          new GroupKind("autoscaling", "HorizontalPodAutoscaler"),
          root(PatchSchema.NONE, CONDITIONS_STATUS).build());

  private BuiltInPatchSchemas() {}

  /** The schema of a whole object of the kind; metadata only for a kind the table does not name. */
  static PatchSchema forKind(GroupKind kind) {
    return BY_KIND.getOrDefault(kind, METADATA_ONLY);
  }

  private static PatchSchema.Builder root(PatchSchema spec, PatchSchema status) {
    return PatchSchema.builder()
        .object("metadata", OBJECT_META)
        .object("spec", spec)
        .object("status", status);
  }
}
