package dev.keelson.nodeagent.runtime.docker;

import dev.keelson.nodeagent.runtime.ServiceRoute;
import java.util.List;

/**
 * The firewall of a pod's own network namespace that lets it reach Services. A cluster IP is a
 * loopback address (127.64.0.0/16), which inside the pod is the pod's own loopback, so the pod's
 * netfilter rewrites each connection to a Service port (table nat, chain {@value #SERVICES}, jumped
 * from OUTPUT) to the node's proxy on the gateway of the pod's network. The source of such a
 * connection is a loopback address too: the kernel routes it out of {@value #INTERFACE} only with
 * {@code route_localnet}, and {@value #POSTROUTING} masquerades it as the pod's address so the
 * reply comes back, the pod's conntrack undoing both rewrites. {@code route_localnet} would also
 * let a neighbour on the bridge reach what the pod serves on 127.0.0.1, so {@value #FIREWALL}
 * (table filter, from INPUT) drops packets for 127.0.0.0/8 that arrive from outside the pod, unless
 * they answer the pod's own connections, as kube-proxy guards its nodes.
 *
 * <p>Rules are written with iptables-restore {@code --noflush}: each of the three chains is
 * replaced whole in one transaction, so a pod never sees half a set, and writing the same set again
 * changes nothing. Nothing outside the pod's namespace is touched.
 */
final class PodNetworkRules {

  static final String SERVICES = "KEELSON-SERVICES";
  static final String POSTROUTING = "KEELSON-POSTROUTING";
  static final String FIREWALL = "KEELSON-FIREWALL";

  /** The pod's side of its veth, as Docker names it on a bridge network. */
  static final String INTERFACE = "eth0";

  /**
   * What runs in the pod's namespace (the host's sh, iptables and /proc), the restore input on its
   * standard input: the chains first, then the jumps to them where they are missing, and only then
   * {@code route_localnet}, so the guard is in place before loopback traffic may cross eth0.
   */
  static final String SCRIPT =
      String.join(
          "\n",
          "set -e",
          "iptables-restore -w --noflush",
          "for jump in 'nat OUTPUT " + SERVICES + "' 'nat POSTROUTING " + POSTROUTING + "' \\",
          "    'filter INPUT " + FIREWALL + "'; do",
          "  set -- $jump",
          "  iptables -w -t \"$1\" -C \"$2\" -j \"$3\" 2>/dev/null"
              + " || iptables -w -t \"$1\" -I \"$2\" -j \"$3\"",
          "done",
          "echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet",
          "echo 1 > /proc/sys/net/ipv4/conf/" + INTERFACE + "/route_localnet",
          "");

  private PodNetworkRules() {}

  /**
   * The iptables-restore input that routes {@code routes} to the proxy on {@code gateway}.
   *
   * @throws IllegalArgumentException when {@code gateway} is not an IPv4 address
   */
  static String restoreInput(List<ServiceRoute> routes, String gateway) {
    if (!ServiceRoute.isIpv4(gateway)) {
      throw new IllegalArgumentException("the pod's network has no IPv4 gateway: " + gateway);
    }
    StringBuilder rules = new StringBuilder();
    rules.append("*nat\n");
    rules.append(':').append(SERVICES).append(" - [0:0]\n");
    rules.append(':').append(POSTROUTING).append(" - [0:0]\n");
    for (ServiceRoute route : routes) {
      rules
          .append("-A ")
          .append(SERVICES)
          .append(" -d ")
          .append(route.clusterIp())
          .append("/32 -p tcp -m tcp --dport ")
          .append(route.port())
          .append(" -j DNAT --to-destination ")
          .append(gateway)
          .append(':')
          .append(route.proxyPort())
          .append('\n');
    }
    rules
        .append("-A ")
        .append(POSTROUTING)
        .append(" -s 127.0.0.0/8 -o ")
        .append(INTERFACE)
        .append(" -j MASQUERADE\n");
    rules.append("COMMIT\n");
    rules.append("*filter\n");
    rules.append(':').append(FIREWALL).append(" - [0:0]\n");
    rules
        .append("-A ")
        .append(FIREWALL)
        .append(" -d 127.0.0.0/8 ! -i lo")
        .append(" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n");
    rules.append("COMMIT\n");
    return rules.toString();
  }
}
