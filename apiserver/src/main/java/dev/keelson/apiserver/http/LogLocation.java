package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a container's log is read, as upstream's LogLocation finds it: the container (the pod's
 * only one unless named), and the node agent of the pod's node at the node's address and its
 * daemonEndpoints.kubeletEndpoint port. Pure functions of the pod and the node.
 */
final class LogLocation {

  /** A kubelet's port, for a node that publishes none. */
  static final int DEFAULT_PORT = 10250;

  /** InternalIP first (what Keelson's nodes publish), then upstream's preferred order. */
  private static final List<String> ADDRESS_TYPES =
      List.of("InternalIP", "Hostname", "InternalDNS", "ExternalDNS", "ExternalIP");

  private LogLocation() {}

  /**
   * The container to read: {@code asked}, which must be one of the pod's, or else the pod's only
   * container.
   *
   * @throws PodLogOptions.Refused with upstream's 400 when there is no one container to choose
   */
  static String container(JsonNode pod, String asked) {
    String name = pod.path("metadata").path("name").asText();
    List<String> all = new ArrayList<>();
    for (String kind : List.of("initContainers", "containers", "ephemeralContainers")) {
      pod.path("spec").path(kind).forEach(c -> all.add(c.path("name").asText()));
    }
    if (!asked.isEmpty()) {
      if (!all.contains(asked)) {
        throw refused("container " + asked + " is not valid for pod " + name);
      }
      return asked;
    }
    JsonNode containers = pod.path("spec").path("containers");
    if (containers.size() == 1) {
      return containers.get(0).path("name").asText();
    }
    throw refused(
        containers.isEmpty()
            ? "a container name must be specified for pod " + name
            : "a container name must be specified for pod "
                + name
                + ", choose one of: ["
                + String.join(" ", all)
                + "]");
  }

  /** The address the node's agent is reached at. */
  static Optional<String> address(JsonNode node) {
    for (String type : ADDRESS_TYPES) {
      for (JsonNode address : node.path("status").path("addresses")) {
        if (type.equals(address.path("type").asText())
            && !address.path("address").asText().isEmpty()) {
          return Optional.of(address.path("address").asText());
        }
      }
    }
    return Optional.empty();
  }

  static int port(JsonNode node) {
    int port =
        node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
    return port > 0 ? port : DEFAULT_PORT;
  }

  /** The node agent's path of a container's log. */
  static String path(String namespace, String pod, String container) {
    return "/containerLogs/" + namespace + "/" + pod + "/" + container;
  }

  private static PodLogOptions.Refused refused(String message) {
    return new PodLogOptions.Refused(ApiStatus.badRequest(message));
  }
}
