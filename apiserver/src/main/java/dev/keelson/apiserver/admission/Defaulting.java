package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Upstream kube-apiserver defaulting of the built-in kinds, applied in place to JSON trees: the v1
 * {@code SetDefaults_*} functions, and on creation what upstream's create strategies and default
 * admission plugins add. Call before {@link Validation}.
 */
public final class Defaulting {

  /** The kinds whose status is a subresource: writes to the main resource keep the stored one. */
  private static final Set<GroupKind> WITH_STATUS =
      Set.of(
          GroupKind.core("Pod"),
          GroupKind.core("Service"),
          GroupKind.core("Namespace"),
          GroupKind.core("Node"),
          new GroupKind("apps", "Deployment"),
          new GroupKind("apps", "ReplicaSet"),
          new GroupKind("batch", "Job"),
          new GroupKind("autoscaling", "HorizontalPodAutoscaler"));

  private static final GroupKind POD = GroupKind.core("Pod");
  private static final GroupKind NAMESPACE = GroupKind.core("Namespace");
  private static final GroupKind SERVICE = GroupKind.core("Service");
  private static final GroupKind NODE = GroupKind.core("Node");
  private static final GroupKind JOB = new GroupKind("batch", "Job");

  private Defaulting() {}

  /**
   * Defaults a new object. Expects {@code metadata.name}, {@code namespace} and {@code uid} to be
   * set already: a Job's generated selector is made of its uid and name.
   */
  public static void apply(GroupKind kind, ObjectNode object) {
    if (WITH_STATUS.contains(kind) && !kind.equals(NODE)) {
      // A create sets no status: upstream's PrepareForCreate resets it.
      object.remove("status");
    }
    declarative(kind, object);
    if (kind.equals(POD)) {
      PodAdmission.admit(object);
    } else if (kind.equals(JOB)) {
      WorkloadDefaults.jobSelector(object);
    } else if (kind.equals(NAMESPACE)) {
      var finalizers = PodDefaults.array(PodDefaults.object(object, "spec"), "finalizers");
      boolean hasKubernetes = false;
      for (JsonNode f : finalizers) {
        hasKubernetes |= f.asText().equals("kubernetes");
      }
      if (!hasKubernetes) {
        finalizers.add("kubernetes");
      }
      PodDefaults.object(object, "status").put("phase", "Active");
    }
  }

  /**
   * Defaults the new version of an object written over {@code existing}: the same v1 defaults, and
   * the values the server owns kept from the stored object (status, a namespace's finalizers, a
   * service's allocated IPs and ports) when the update leaves them out or may not change them.
   */
  public static void applyUpdate(GroupKind kind, ObjectNode updated, ObjectNode existing) {
    keepStatus(kind, updated, existing);
    if (kind.equals(SERVICE)) {
      ServiceDefaults.dropTypeDependentFields(updated, existing);
      ServiceDefaults.carryOver(updated, existing);
    } else if (kind.equals(NAMESPACE)) {
      JsonNode finalizers = existing.path("spec").get("finalizers");
      ObjectNode spec = PodDefaults.object(updated, "spec");
      spec.remove("finalizers");
      if (finalizers != null) {
        spec.set("finalizers", finalizers.deepCopy());
      }
    }
    declarative(kind, updated);
    if (kind.equals(POD)) {
      PodAdmission.admitUpdate(updated, existing);
    }
  }

  /** Defaults a write to the status subresource: the spec stays the stored one. */
  public static void applyStatusUpdate(GroupKind kind, ObjectNode updated, ObjectNode existing) {
    if (existing.has("spec")) {
      updated.set("spec", existing.get("spec").deepCopy());
    }
    declarative(kind, updated);
  }

  private static void keepStatus(GroupKind kind, ObjectNode updated, ObjectNode existing) {
    if (WITH_STATUS.contains(kind)) {
      updated.remove("status");
      if (existing.has("status")) {
        updated.set("status", existing.get("status").deepCopy());
      }
    }
  }

  private static void declarative(GroupKind kind, ObjectNode object) {
    switch (kind.group() + "/" + kind.kind()) {
      case "/Pod" -> PodDefaults.pod(object);
      case "/Service" -> ServiceDefaults.apply(object);
      case "/Namespace" -> namespace(object);
      case "/Secret" -> secret(object);
      case "/Node" -> node(object);
      case "/Endpoints" -> endpoints(object);
      case "apps/Deployment" -> WorkloadDefaults.deployment(object);
      case "apps/ReplicaSet" -> WorkloadDefaults.replicaSet(object);
      case "batch/Job" -> WorkloadDefaults.job(object);
      case "autoscaling/HorizontalPodAutoscaler" -> AutoscalerDefaults.apply(object);
      default -> {}
    }
  }

  private static void namespace(ObjectNode namespace) {
    String name = namespace.path("metadata").path("name").asText("");
    if (!name.isEmpty()) {
      PodDefaults.object(PodDefaults.object(namespace, "metadata"), "labels")
          .put("kubernetes.io/metadata.name", name);
    }
    if (namespace.has("status")) {
      PodDefaults.putIfAbsent(PodDefaults.object(namespace, "status"), "phase", "Active");
    }
  }

  /** Type Opaque, and {@code stringData} merged into {@code data} as the v1 conversion does. */
  private static void secret(ObjectNode secret) {
    PodDefaults.putIfAbsent(secret, "type", "Opaque");
    JsonNode stringData = secret.remove("stringData");
    if (stringData != null && stringData.isObject() && !stringData.isEmpty()) {
      ObjectNode data = PodDefaults.object(secret, "data");
      stringData
          .fields()
          .forEachRemaining(
              e ->
                  data.put(
                      e.getKey(),
                      Base64.getEncoder()
                          .encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    }
  }

  private static void node(ObjectNode node) {
    JsonNode capacity = node.path("status").get("capacity");
    if (capacity != null
        && capacity.isObject()
        && !Checks.present(node.path("status"), "allocatable")) {
      PodDefaults.object(node, "status").set("allocatable", capacity.deepCopy());
    }
  }

  private static void endpoints(ObjectNode endpoints) {
    for (JsonNode subset : endpoints.path("subsets")) {
      for (JsonNode port : subset.path("ports")) {
        if (port instanceof ObjectNode p) {
          PodDefaults.putIfAbsent(p, "protocol", "TCP");
        }
      }
    }
  }
}
