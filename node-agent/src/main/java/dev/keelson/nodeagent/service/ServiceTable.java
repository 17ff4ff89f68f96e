package dev.keelson.nodeagent.service;

import dev.keelson.nodeagent.runtime.ServiceRoute;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's Services as the node agent saw them at one moment: what pods' environments are made
 * of, and the routes every pod's sandbox gets to the node's proxy. Immutable; the environment of a
 * namespace is made once per table, as every sync of every pod asks for it.
 */
public final class ServiceTable {

  public static final ServiceTable EMPTY = new ServiceTable(List.of());

  private final List<ClusterService> services;
  private final List<ServiceRoute> routes;
  private final Map<String, Map<String, String>> environments = new ConcurrentHashMap<>();

  public ServiceTable(List<ClusterService> services) {
    this.services = List.copyOf(services);
    this.routes = routes(this.services);
  }

  public static ServiceTable of(Collection<Service> services) {
    return new ServiceTable(services.stream().map(ClusterService::of).toList());
  }

  public List<ClusterService> services() {
    return services;
  }

  /** One route per TCP port of a Service with a cluster IP and a proxy port, ordered. */
  public List<ServiceRoute> routes() {
    return routes;
  }

  /** The variables of the Services a container of a pod of {@code namespace} gets. */
  public Map<String, String> environment(String namespace, boolean serviceLinks) {
    return environments.computeIfAbsent(
        namespace + (serviceLinks ? "" : "/no-links"),
        key -> Map.copyOf(ServiceEnvironment.of(services, namespace, serviceLinks)));
  }

  /**
   * The routes to the proxy: TCP only, as the proxy balances TCP; a cluster IP that is not an IPv4
   * address is left out (an IPv6 family is not served yet).
   */
  private static List<ServiceRoute> routes(Collection<ClusterService> services) {
    return services.stream()
        .filter(ClusterService::hasClusterIp)
        .filter(s -> ServiceRoute.isIpv4(s.clusterIp()))
        .flatMap(
            s ->
                s.ports().stream()
                    .filter(p -> p.protocol().equalsIgnoreCase("TCP"))
                    .filter(p -> p.proxyPort() != null)
                    .filter(
                        p -> ServiceRoute.isPort(p.port()) && ServiceRoute.isPort(p.proxyPort()))
                    .map(p -> new ServiceRoute(s.clusterIp(), p.port(), p.proxyPort())))
        .distinct()
        .sorted(
            Comparator.comparing(ServiceRoute::clusterIp)
                .thenComparingInt(ServiceRoute::port)
                .thenComparingInt(ServiceRoute::proxyPort))
        .toList();
  }
}
