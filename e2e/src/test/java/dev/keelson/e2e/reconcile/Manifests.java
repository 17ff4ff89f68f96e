package dev.keelson.e2e.reconcile;

import dev.keelson.api.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Objects for the reconciler tests, written as a user writes manifests. */
final class Manifests {

  private Manifests() {}

  static <T extends HasMetadata> T parse(String yaml, Class<T> type) {
    try {
      return Json.yaml().readValue(yaml, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Pod createPod(KubernetesClient client, String namespace, String yaml) {
    return client.pods().inNamespace(namespace).resource(parse(yaml, Pod.class)).create();
  }

  /** The status of the pod's condition {@code type}, or null (no pod, no condition). */
  static String condition(Pod pod, String type) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(PodCondition::getStatus)
        .findFirst()
        .orElse(null);
  }
}
