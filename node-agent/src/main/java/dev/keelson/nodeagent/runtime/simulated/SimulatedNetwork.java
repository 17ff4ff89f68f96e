package dev.keelson.nodeagent.runtime.simulated;

import dev.keelson.nodeagent.runtime.PortMapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pod IPs and host ports of the simulated runtime. An IP is unique among live sandboxes, in
 * 10.244.0.0/16 like a cluster's first pod CIDR, and is never dialled. A dynamic host port comes
 * from Docker's default range; a port asked for twice on one protocol fails as in Docker. Not
 * thread-safe: the runtime holds its lock.
 */
final class SimulatedNetwork {

  private final Allocator podIps = new Allocator(2, 65534);
  private final Map<String, Allocator> hostPorts = new HashMap<>();

  String allocateIp() {
    int ip = podIps.allocate();
    return "10.244." + (ip >> 8) + "." + (ip & 0xff);
  }

  void releaseIp(String ip) {
    String[] octets = ip.split("\\.");
    podIps.release(Integer.parseInt(octets[2]) << 8 | Integer.parseInt(octets[3]));
  }

  /** The ports as published, a dynamic one (host port 0) chosen; none taken when one fails. */
  List<PortMapping> publish(List<PortMapping> asked) {
    List<PortMapping> published = new ArrayList<>();
    for (PortMapping port : asked) {
      Allocator allocator = portsOf(port.protocol());
      if (port.hostPort() != 0 && !allocator.claim(port.hostPort())) {
        unpublish(published);
        throw new IllegalStateException(
            "Bind for "
                + port.hostIp()
                + ":"
                + port.hostPort()
                + " failed: port is already allocated");
      }
      int hostPort = port.hostPort() != 0 ? port.hostPort() : allocator.allocate();
      published.add(
          new PortMapping(port.containerPort(), port.protocol(), port.hostIp(), hostPort));
    }
    return published;
  }

  void unpublish(List<PortMapping> published) {
    published.forEach(port -> portsOf(port.protocol()).release(port.hostPort()));
  }

  private Allocator portsOf(String protocol) {
    return hostPorts.computeIfAbsent(
        protocol.toUpperCase(Locale.ROOT), p -> new Allocator(32768, 60999));
  }
}
