package dev.keelson.apiserver.admission;

/**
 * Where the values Services are given come from: cluster IPs ({@code --service-cluster-ip-range}),
 * node ports ({@code --service-node-port-range}) and Keelson's proxy ports ({@code
 * --service-proxy-port-range}). Node ports and proxy ports are both ports of the nodes, so their
 * ranges may not overlap.
 */
public record ServiceRanges(IpRange clusterIps, PortRange nodePorts, PortRange proxyPorts) {

  public static final ServiceRanges DEFAULTS =
      new ServiceRanges(IpRange.DEFAULT, PortRange.NODE_PORTS, PortRange.PROXY_PORTS);

  public ServiceRanges {
    if (nodePorts.overlaps(proxyPorts)) {
      throw new IllegalArgumentException(
          "the node port range "
              + nodePorts
              + " and the proxy port range "
              + proxyPorts
              + " overlap: both are ports of every node");
    }
  }
}
