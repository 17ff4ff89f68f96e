package dev.keelson.proxy;

import dev.keelson.api.ProxyPorts;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the proxy does for a set of Services and Endpoints: which addresses it listens on for which
 * Service port, and where each Service port's connections go. A pure function of its inputs, so
 * that a change of either is applied by computing the table again and comparing.
 *
 * @param frontends every address to listen on, and the Service port it serves
 * @param routes every Service port's ready endpoints
 */
public record ProxyTable(
    Map<Frontend, ServicePortName> frontends, Map<ServicePortName, Route> routes) {

  private static final long DEFAULT_AFFINITY_SECONDS = 10800;

  public static final ProxyTable EMPTY = new ProxyTable(Map.of(), Map.of());

  public ProxyTable {
    frontends = Map.copyOf(frontends);
    routes = Map.copyOf(routes);
  }

  /**
   * The table for these Services and Endpoints.
   *
   * @param nodeIp where NodePorts listen
   * @param podGateway where the pods of this node reach the proxy, or null for nowhere
   */
  public static ProxyTable of(
      Collection<Service> services,
      Collection<Endpoints> endpoints,
      String nodeIp,
      String podGateway) {
    Map<String, Endpoints> endpointsByName = new HashMap<>();
    for (Endpoints e : endpoints) {
      endpointsByName.put(e.getMetadata().getNamespace() + "/" + e.getMetadata().getName(), e);
    }
    Map<Frontend, ServicePortName> frontends = new LinkedHashMap<>();
    Map<ServicePortName, Route> routes = new LinkedHashMap<>();
    List<Service> sorted = new ArrayList<>(services);
    // Two Services claiming one address cannot both have it: the older keeps it, as allocation
    // should never let that happen in the first place.
    sorted.sort(
        Comparator.comparing(
                (Service s) -> Objects.toString(s.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(s -> s.getMetadata().getNamespace())
            .thenComparing(s -> s.getMetadata().getName()));
    for (Service service : sorted) {
      ServiceSpec spec = service.getSpec();
      if (spec == null || "ExternalName".equals(spec.getType()) || spec.getPorts() == null) {
        continue;
      }
      String namespace = service.getMetadata().getNamespace();
      String name = service.getMetadata().getName();
      String clusterIp = spec.getClusterIP();
      boolean hasClusterIp = clusterIp != null && !clusterIp.isEmpty() && !clusterIp.equals("None");
      Map<Integer, Integer> proxyPorts = proxyPorts(service);
      Endpoints serviceEndpoints = endpointsByName.get(namespace + "/" + name);
      for (ServicePort port : spec.getPorts()) {
        if (!"TCP".equals(Objects.requireNonNullElse(port.getProtocol(), "TCP"))
            || port.getPort() == null) {
          continue;
        }
        ServicePortName key =
            new ServicePortName(namespace, name, Objects.requireNonNullElse(port.getName(), ""));
        routes.put(key, new Route(key, backends(serviceEndpoints, key.port()), affinity(spec)));
        if (hasClusterIp) {
          frontends.putIfAbsent(
              new Frontend(clusterIp, port.getPort(), Frontend.Kind.CLUSTER_IP), key);
          Integer proxyPort = proxyPorts.get(port.getPort());
          if (podGateway != null && proxyPort != null) {
            frontends.putIfAbsent(
                new Frontend(podGateway, proxyPort, Frontend.Kind.POD_GATEWAY), key);
          }
        }
        if (port.getNodePort() != null && port.getNodePort() > 0 && nodeIp != null) {
          frontends.putIfAbsent(
              new Frontend(nodeIp, port.getNodePort(), Frontend.Kind.NODE_PORT), key);
        }
      }
    }
    return new ProxyTable(frontends, routes);
  }

  /** The ready addresses of the Endpoints' subsets for the port of that name, sorted. */
  static List<Backend> backends(Endpoints endpoints, String portName) {
    List<Backend> backends = new ArrayList<>();
    if (endpoints == null || endpoints.getSubsets() == null) {
      return backends;
    }
    for (EndpointSubset subset : endpoints.getSubsets()) {
      if (subset.getPorts() == null || subset.getAddresses() == null) {
        continue;
      }
      for (EndpointPort port : subset.getPorts()) {
        if (!Objects.requireNonNullElse(port.getName(), "").equals(portName)
            || !"TCP".equals(Objects.requireNonNullElse(port.getProtocol(), "TCP"))
            || port.getPort() == null) {
          continue;
        }
        for (EndpointAddress address : subset.getAddresses()) {
          if (address.getIp() != null) {
            backends.add(new Backend(address.getIp(), port.getPort()));
          }
        }
      }
    }
    backends.sort(Comparator.comparing(Backend::host).thenComparingInt(Backend::port));
    return backends;
  }

  private static Duration affinity(ServiceSpec spec) {
    if (!"ClientIP".equals(spec.getSessionAffinity())) {
      return Duration.ZERO;
    }
    Integer timeout =
        spec.getSessionAffinityConfig() == null
                || spec.getSessionAffinityConfig().getClientIP() == null
            ? null
            : spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
    return Duration.ofSeconds(timeout == null ? DEFAULT_AFFINITY_SECONDS : timeout);
  }

  /** The Service's TCP ports → their proxy ports, from {@link ProxyPorts#ANNOTATION}. */
  static Map<Integer, Integer> proxyPorts(Service service) {
    Map<String, String> annotations = service.getMetadata().getAnnotations();
    Map<Integer, Integer> ports = new HashMap<>();
    for (ProxyPorts.Entry entry :
        ProxyPorts.parse(annotations == null ? null : annotations.get(ProxyPorts.ANNOTATION))) {
      if (entry.protocol().equals("TCP")) {
        ports.put(entry.port(), entry.proxyPort());
      }
    }
    return ports;
  }
}
