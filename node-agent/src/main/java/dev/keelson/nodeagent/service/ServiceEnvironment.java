package dev.keelson.nodeagent.service;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment variables a container gets for the Services it may use, as upstream's kubelet
 * makes them: for every Service of the pod's namespace with a cluster IP (when the pod's {@code
 * enableServiceLinks} is true, the default), and for {@code default/kubernetes} whatever that says,
 * {@code NAME_SERVICE_HOST}, {@code NAME_SERVICE_PORT} (the first port), {@code
 * NAME_SERVICE_PORT_PORTNAME} for each named port, and the Docker link variables {@code NAME_PORT}
 * (the first port), {@code NAME_PORT_80_TCP} and its {@code _PROTO}, {@code _PORT} and {@code
 * _ADDR}. NAME is the Service's name upper-cased, dashes made underscores. A container's own
 * variables win over these; that is for whoever builds its environment.
 */
public final class ServiceEnvironment {

  /** The Service every pod hears of, enableServiceLinks or not, as upstream's masterServices. */
  private static final String MASTER_NAMESPACE = "default";

  private static final String MASTER_SERVICE = "kubernetes";

  private ServiceEnvironment() {}

  /** The variables for a pod of {@code namespace}. */
  public static Map<String, String> of(
      Collection<ClusterService> services, String namespace, boolean serviceLinks) {
    // By name: a Service of the pod's namespace hides default/kubernetes of the same name.
    Map<String, ClusterService> byName = new TreeMap<>();
    for (ClusterService service : services) {
      if (!service.hasClusterIp() || service.ports().isEmpty()) {
        continue;
      }
      if (service.namespace().equals(MASTER_NAMESPACE) && service.name().equals(MASTER_SERVICE)) {
        byName.putIfAbsent(service.name(), service);
      } else if (service.namespace().equals(namespace) && serviceLinks) {
        byName.put(service.name(), service);
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    byName.values().stream()
        .sorted(Comparator.comparing(ClusterService::name))
        .forEach(service -> add(env, service));
    return env;
  }

  private static void add(Map<String, String> env, ClusterService service) {
    String prefix = variableName(service.name());
    List<ClusterService.Port> ports = service.ports();
    env.put(prefix + "_SERVICE_HOST", service.clusterIp());
    env.put(prefix + "_SERVICE_PORT", Integer.toString(ports.get(0).port()));
    for (ClusterService.Port port : ports) {
      if (!port.name().isEmpty()) {
        env.put(
            prefix + "_SERVICE_PORT_" + variableName(port.name()), Integer.toString(port.port()));
      }
    }
    for (int i = 0; i < ports.size(); i++) {
      ClusterService.Port port = ports.get(i);
      String protocol = port.protocol().toLowerCase(Locale.ROOT);
      String url = protocol + "://" + hostPort(service.clusterIp(), port.port());
      if (i == 0) {
        env.put(prefix + "_PORT", url); // Docker gives the first port a name of its own
      }
      String portPrefix =
          prefix + "_PORT_" + port.port() + "_" + port.protocol().toUpperCase(Locale.ROOT);
      env.put(portPrefix, url);
      env.put(portPrefix + "_PROTO", protocol);
      env.put(portPrefix + "_PORT", Integer.toString(port.port()));
      env.put(portPrefix + "_ADDR", service.clusterIp());
    }
  }

  static String variableName(String name) {
    return name.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** As Go's net.JoinHostPort: an IPv6 address goes in brackets. */
  private static String hostPort(String ip, int port) {
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }
}
