package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A port a pod takes on its node's address: upstream's NodePorts filter keeps two pods that want
 * the same port and protocol on the same IP apart, where 0.0.0.0 (no hostIP) is every IP.
 */
public record HostPort(String ip, String protocol, int port) {

  public static final String ANY_IP = "0.0.0.0";

  public static HostPort of(String ip, String protocol, int port) {
    return new HostPort(
        ip == null || ip.isEmpty() ? ANY_IP : ip,
        protocol == null || protocol.isEmpty() ? "TCP" : protocol,
        port);
  }

  public boolean conflicts(HostPort o) {
    return port == o.port
        && protocol.equals(o.protocol)
        && (ip.equals(o.ip) || ANY_IP.equals(ip) || ANY_IP.equals(o.ip));
  }

  /** The host ports of the pod whose {@code spec} is given (containers and sidecars). */
  static List<HostPort> parse(JsonNode spec) {
    List<HostPort> ports = null;
    for (JsonNode c : spec.path("containers")) {
      ports = add(ports, c);
    }
    for (JsonNode c : spec.path("initContainers")) {
      if ("Always".equals(c.path("restartPolicy").asText(""))) {
        ports = add(ports, c);
      }
    }
    return ports == null ? List.of() : List.copyOf(ports);
  }

  private static List<HostPort> add(List<HostPort> ports, JsonNode container) {
    for (JsonNode p : container.path("ports")) {
      int hostPort = p.path("hostPort").asInt(0);
      if (hostPort <= 0) {
        continue;
      }
      if (ports == null) {
        ports = new ArrayList<>(2);
      }
      ports.add(of(p.path("hostIP").asText(""), p.path("protocol").asText(""), hostPort));
    }
    return ports;
  }
}
