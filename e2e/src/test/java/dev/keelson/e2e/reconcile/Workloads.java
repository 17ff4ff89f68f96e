package dev.keelson.e2e.reconcile;

import dev.keelson.api.Json;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/** Manifests and pod questions shared by the workload controller tests. */
final class Workloads {

  private Workloads() {}

  static <T> T parse(String yaml, Class<T> type) {
    try {
      return Json.yaml().readValue(yaml, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh namespace for one test. */
  static String namespace(KubernetesClient client, String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  /** Pods neither finished nor being deleted (what a ReplicaSet counts). */
  static List<Pod> active(KubernetesClient client, String namespace) {
    return client.pods().inNamespace(namespace).list().getItems().stream()
        .filter(Workloads::active)
        .toList();
  }

  static boolean active(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return pod.getMetadata().getDeletionTimestamp() == null
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  static boolean ready(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  static OwnerReference controller(Pod pod) {
    if (pod.getMetadata().getOwnerReferences() == null) {
      return null;
    }
    return pod.getMetadata().getOwnerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()))
        .findFirst()
        .orElse(null);
  }

  static String image(Pod pod) {
    return pod.getSpec().getContainers().get(0).getImage();
  }
}
