package dev.keelson.nodeagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** {@link PodApi} through the Kubernetes API, with the agent's own credentials. */
final class ApiPods implements PodApi {

  private final KubernetesClient client;
  private final PodEvents events;

  ApiPods(KubernetesClient client, PodEvents events) {
    this.client = client;
    this.events = events;
  }

  @Override
  public void event(JsonNode pod, String type, String reason, String message) {
    events.record(pod, type, reason, message);
  }

  /**
   * A JSON patch that replaces the whole status: a merge patch would merge a container's new state
   * into its old one (running and terminated at once), and an update would need the pod's latest
   * resourceVersion, which other writers move.
   */
  @Override
  public void writeStatus(String namespace, String name, ObjectNode status) {
    ObjectNode op = Json.object().put("op", "add").put("path", "/status");
    op.set("value", status);
    String patch = Json.mapper().createArrayNode().add(op).toString();
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  @Override
  public void annotate(String namespace, String name, String key, String value) {
    ObjectNode patch = Json.object();
    patch.putObject("metadata").putObject("annotations").put(key, value);
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  @Override
  public void remove(String namespace, String name, String uid) {
    try {
      client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
