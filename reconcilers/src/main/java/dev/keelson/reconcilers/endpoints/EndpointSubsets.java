package dev.keelson.reconcilers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.reconcilers.endpoints.Repack.Address;
import dev.keelson.reconcilers.endpoints.Repack.Port;
import dev.keelson.reconcilers.endpoints.Repack.Subset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subsets of a Service's Endpoints, from the Service and the pods its selector picks, as
 * upstream's endpoints controller computes them, with one difference that Keelson's networking
 * makes: a pod is reached on its node's address ({@code status.hostIP}) at the host port its agent
 * published for the container port (the pod's annotation {@value #HOST_PORTS}), not on a pod IP.
 *
 * <p>A pod whose container port has no published host port (its sandbox does not run yet, or the
 * service's numeric targetPort is not one of the ports its containers declare, which only declared
 * ports are published) cannot take traffic, but it is one of the service's pods: it is listed among
 * the notReadyAddresses, with the container port, whatever its readiness, so that {@code kubectl
 * describe endpoints} shows it and no client sends it anything. A pod with no hostIP (not started),
 * one being deleted (unless the service publishes not-ready addresses) and one that has ended for
 * good are left out, as upstream leaves them out.
 */
final class EndpointSubsets {

  /** The annotation where the node agent records the pod's published ports. */
  static final String HOST_PORTS = "keelson.dev/host-ports";

  /** An IPv4 or IPv6 literal, as a published hostIP must be to be used as the address. */
  private static final java.util.regex.Pattern IP_LITERAL =
      java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

  private EndpointSubsets() {}

  /** The subsets for {@code service} over the pods its selector picks. */
  static List<Subset> compute(JsonNode service, List<? extends JsonNode> pods) {
    boolean publishNotReady = service.path("spec").path("publishNotReadyAddresses").asBoolean();
    String serviceName = service.path("metadata").path("name").asText();
    List<Subset> subsets = new ArrayList<>();
    for (JsonNode pod : pods) {
      if (!shouldBeInEndpoints(pod, publishNotReady)) {
        continue;
      }
      boolean ready = publishNotReady || podReady(pod);
      JsonNode ports = service.path("spec").path("ports");
      if (ports.isEmpty()) {
        subsets.add(subset(address(pod, serviceName, null), ready, List.of()));
        continue;
      }
      for (JsonNode servicePort : ports) {
        Optional<Integer> containerPort = findPort(pod, servicePort);
        if (containerPort.isEmpty()) {
          continue; // upstream too leaves a pod out of a port it cannot find
        }
        String protocol = servicePort.path("protocol").asText("TCP");
        Optional<JsonNode> published = hostPort(pod, containerPort.get(), protocol);
        int number = published.map(p -> p.path("hostPort").asInt()).orElse(containerPort.get());
        Port port =
            new Port(
                servicePort.path("name").asText(""),
                number,
                protocol,
                servicePort.path("appProtocol").asText(null));
        String hostIp = published.map(p -> p.path("hostIP").asText("")).orElse("");
        subsets.add(
            subset(
                address(pod, serviceName, hostIp), ready && published.isPresent(), List.of(port)));
      }
    }
    return Repack.repack(subsets);
  }

  /** Upstream's ShouldPodBeInEndpoints, with the pod's node address for its IP. */
  static boolean shouldBeInEndpoints(JsonNode pod, boolean includeTerminating) {
    if (pod.path("status").path("hostIP").asText("").isEmpty()) {
      return false;
    }
    if (!includeTerminating && pod.path("metadata").hasNonNull("deletionTimestamp")) {
      return false;
    }
    String phase = pod.path("status").path("phase").asText("");
    String restart = pod.path("spec").path("restartPolicy").asText("Always");
    if (restart.equals("Never")) {
      return !phase.equals("Failed") && !phase.equals("Succeeded");
    }
    if (restart.equals("OnFailure")) {
      return !phase.equals("Succeeded");
    }
    return true;
  }

  static boolean podReady(JsonNode pod) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return "True".equals(condition.path("status").asText());
      }
    }
    return false;
  }

  /**
   * Upstream's FindPort: a numeric targetPort is the container port; a named one is the port of
   * that name and the service port's protocol among the pod's containers.
   */
  static Optional<Integer> findPort(JsonNode pod, JsonNode servicePort) {
    JsonNode target = servicePort.path("targetPort");
    if (target.isMissingNode() || target.isNull()) {
      target = servicePort.path("port");
    }
    if (target.isIntegralNumber()) {
      return Optional.of(target.asInt());
    }
    String name = target.asText();
    String protocol = servicePort.path("protocol").asText("TCP");
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode container : pod.path("spec").path(list)) {
        boolean sidecar =
            list.equals("containers") || "Always".equals(container.path("restartPolicy").asText());
        for (JsonNode port : container.path("ports")) {
          if (sidecar
              && name.equals(port.path("name").asText())
              && protocol.equals(port.path("protocol").asText("TCP"))) {
            return Optional.of(port.path("containerPort").asInt());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The host port the agent published for a container port, from the pod's annotation. */
  static Optional<JsonNode> hostPort(JsonNode pod, int containerPort, String protocol) {
    String text = pod.path("metadata").path("annotations").path(HOST_PORTS).asText("");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    JsonNode published;
    try {
      published = Json.mapper().readTree(text);
    } catch (java.io.IOException e) {
      return Optional.empty(); // not the agent's: nothing is known to be published
    }
    for (JsonNode p : published) {
      if (p.path("containerPort").asInt() == containerPort
          && protocol.equalsIgnoreCase(p.path("protocol").asText("TCP"))
          && p.path("hostPort").asInt() > 0
          && p.path("hostPort").asInt() < 65536) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static Address address(JsonNode pod, String serviceName, String publishedIp) {
    JsonNode metadata = pod.path("metadata");
    JsonNode spec = pod.path("spec");
    boolean anyAddress =
        publishedIp == null
            || !IP_LITERAL.matcher(publishedIp).matches()
            || publishedIp.equals("0.0.0.0")
            || publishedIp.equals("::");
    String ip = anyAddress ? pod.path("status").path("hostIP").asText() : publishedIp;
    String hostname =
        !spec.path("hostname").asText("").isEmpty()
                && serviceName.equals(spec.path("subdomain").asText())
            ? spec.path("hostname").asText()
            : null;
    return new Address(
        ip,
        hostname,
        spec.path("nodeName").asText(null),
        metadata.path("namespace").asText(),
        metadata.path("name").asText(),
        metadata.path("uid").asText());
  }

  private static Subset subset(Address address, boolean ready, List<Port> ports) {
    return ready
        ? new Subset(List.of(address), List.of(), ports)
        : new Subset(List.of(), List.of(address), ports);
  }

  /** The subsets as the Endpoints object's JSON. */
  static ArrayNode toJson(List<Subset> subsets) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (Subset s : subsets) {
      ObjectNode subset = array.addObject();
      if (!s.addresses().isEmpty()) {
        ArrayNode addresses = subset.putArray("addresses");
        s.addresses().forEach(a -> addresses.add(addressJson(a)));
      }
      if (!s.notReadyAddresses().isEmpty()) {
        ArrayNode addresses = subset.putArray("notReadyAddresses");
        s.notReadyAddresses().forEach(a -> addresses.add(addressJson(a)));
      }
      if (!s.ports().isEmpty()) {
        ArrayNode ports = subset.putArray("ports");
        for (Port p : s.ports()) {
          ObjectNode port = ports.addObject();
          if (!p.name().isEmpty()) {
            port.put("name", p.name());
          }
          port.put("port", p.port());
          port.put("protocol", p.protocol());
          if (p.appProtocol() != null) {
            port.put("appProtocol", p.appProtocol());
          }
        }
      }
    }
    return array;
  }

  private static ObjectNode addressJson(Address a) {
    ObjectNode address = JsonNodeFactory.instance.objectNode();
    address.put("ip", a.ip());
    if (a.hostname() != null) {
      address.put("hostname", a.hostname());
    }
    if (a.nodeName() != null && !a.nodeName().isEmpty()) {
      address.put("nodeName", a.nodeName());
    }
    ObjectNode ref = address.putObject("targetRef");
    ref.put("kind", "Pod");
    ref.put("namespace", a.namespace());
    ref.put("name", a.pod());
    ref.put("uid", a.uid());
    return address;
  }
}
