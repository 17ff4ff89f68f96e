package dev.keelson.nodeagent.runtime;

import java.util.regex.Pattern;

/**
 * A connection a pod's sandbox sends to the node's proxy: TCP to {@code clusterIp}:{@code port} (a
 * Service's, in the loopback range, which inside the pod is the pod's own loopback) goes to the
 * proxy's {@code proxyPort} on the node.
 *
 * @throws IllegalArgumentException unless {@code clusterIp} is an IPv4 address and both ports are
 *     ports: a route becomes a firewall rule, and nothing else may reach its text
 */
public record ServiceRoute(String clusterIp, int port, int proxyPort) {

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  public ServiceRoute {
    if (!isIpv4(clusterIp) || !isPort(port) || !isPort(proxyPort)) {
      throw new IllegalArgumentException(
          "not a route: " + clusterIp + ":" + port + " -> " + proxyPort);
    }
  }

  /** Whether {@code address} is an IPv4 address in dotted decimal, and nothing else. */
  public static boolean isIpv4(String address) {
    return address != null && IPV4.matcher(address).matches();
  }

  public static boolean isPort(int port) {
    return port > 0 && port < 65536;
  }
}
