package dev.keelson.nodeagent.service;

import dev.keelson.api.ProxyPorts;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the node agent needs of a Service: its cluster IP and ports, each with the port the node's
 * proxy serves it on, which the annotation {@value #PROXY_PORTS} says (a JSON list of port,
 * protocol and proxyPort, written with the cluster IP).
 *
 * @param clusterIp the Service's cluster IP; "" when it has none, "None" when it is headless
 */
public record ClusterService(String namespace, String name, String clusterIp, List<Port> ports) {

  /** The annotation where the node's proxy ports of a Service's ports are. */
  public static final String PROXY_PORTS = ProxyPorts.ANNOTATION;

  /**
   * One port of the Service.
   *
   * @param name "" when the port has no name
   * @param protocol TCP, UDP or SCTP
   * @param proxyPort where the node's proxy serves it, or null when no proxy port is known
   */
  public record Port(String name, int port, String protocol, Integer proxyPort) {}

  public ClusterService {
    ports = List.copyOf(ports);
  }

  public static ClusterService of(Service service) {
    Map<String, String> annotations = service.getMetadata().getAnnotations();
    List<ProxyPorts.Entry> proxied =
        ProxyPorts.parse(annotations == null ? null : annotations.get(PROXY_PORTS));
    List<Port> ports = new ArrayList<>();
    List<ServicePort> declared =
        service.getSpec() == null || service.getSpec().getPorts() == null
            ? List.of()
            : service.getSpec().getPorts();
    for (ServicePort port : declared) {
      if (port.getPort() == null) {
        continue;
      }
      String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
      ports.add(
          new Port(
              port.getName() == null ? "" : port.getName(),
              port.getPort(),
              protocol,
              proxyPort(proxied, port.getPort(), protocol)));
    }
    String clusterIp = service.getSpec() == null ? null : service.getSpec().getClusterIP();
    return new ClusterService(
        service.getMetadata().getNamespace(),
        service.getMetadata().getName(),
        clusterIp == null ? "" : clusterIp,
        ports);
  }

  /** Whether the Service has a cluster IP: not headless ("None"), and allocated. */
  public boolean hasClusterIp() {
    return !clusterIp.isEmpty() && !clusterIp.equals("None");
  }

  private static Integer proxyPort(List<ProxyPorts.Entry> proxied, int port, String protocol) {
    return proxied.stream()
        .filter(e -> e.port() == port && e.protocol().equalsIgnoreCase(protocol))
        .map(ProxyPorts.Entry::proxyPort)
        .findFirst()
        .orElse(null);
  }
}
