package dev.keelson.cli;

import dev.keelson.apiserver.admission.IpRange;
import dev.keelson.apiserver.admission.PortRange;
import dev.keelson.apiserver.admission.ServiceRanges;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** Where Services' cluster IPs and ports come from, as flags named after kube-apiserver's. */
final class ServiceOptions {

  @Option(
      names = "--service-cluster-ip-range",
      paramLabel = "CIDR",
      description =
          "The loopback range Services' cluster IPs are allocated from (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.64.0.0/16")
  String clusterIpRange;

  @Option(
      names = "--service-node-port-range",
      paramLabel = "FIRST-LAST",
      description =
          "The ports NodePort and LoadBalancer Services are given on every node"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "30000-32767")
  String nodePortRange;

  @Option(
      names = "--service-proxy-port-range",
      paramLabel = "FIRST-LAST",
      description =
          "The ports on which the proxy of every node listens for its pods, one per TCP port of"
              + " each Service with a cluster IP (default: ${DEFAULT-VALUE}).",
      defaultValue = "20000-29999")
  String proxyPortRange;

  /** The ranges; a bad value throws, naming its flag. */
  ServiceRanges ranges() {
    IpRange ips = parse("--service-cluster-ip-range", clusterIpRange, IpRange::parse);
    PortRange nodePorts = parse("--service-node-port-range", nodePortRange, PortRange::parse);
    PortRange proxyPorts = parse("--service-proxy-port-range", proxyPortRange, PortRange::parse);
    try {
      return new ServiceRanges(ips, nodePorts, proxyPorts);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--service-node-port-range, --service-proxy-port-range: " + e.getMessage(), e);
    }
  }

  private static <T> T parse(String flag, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }
}
