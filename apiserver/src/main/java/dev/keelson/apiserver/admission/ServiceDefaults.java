package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Upstream's {@code SetDefaults_Service}, the strategy's syncing of {@code clusterIP} with {@code
 * clusterIPs}, the IP family fields the registry settles before allocating, and what an update
 * keeps or drops of the allocated values. {@link ServiceAllocator} allocates them.
 */
final class ServiceDefaults {

  private ServiceDefaults() {}

  static void apply(ObjectNode service) {
    ObjectNode spec = PodDefaults.object(service, "spec");
    PodDefaults.putIfAbsent(spec, "sessionAffinity", "None");
    String affinity = Checks.text(spec, "sessionAffinity");
    if (affinity.equals("None")) {
      spec.remove("sessionAffinityConfig");
    } else if (affinity.equals("ClientIP")
        && !Checks.present(spec.path("sessionAffinityConfig").path("clientIP"), "timeoutSeconds")) {
      spec.putObject("sessionAffinityConfig").putObject("clientIP").put("timeoutSeconds", 10800);
    }
    PodDefaults.putIfAbsent(spec, "type", "ClusterIP");
    String type = Checks.text(spec, "type");
    for (JsonNode port : spec.path("ports")) {
      if (port instanceof ObjectNode p) {
        PodDefaults.putIfAbsent(p, "protocol", "TCP");
        JsonNode target = p.get("targetPort");
        if (target == null
            || target.isNull()
            || target.asText("").isEmpty()
            || target.asText().equals("0")) {
          p.set("targetPort", p.path("port"));
        }
      }
    }
    if (ServiceRules.externallyAccessible(spec)) {
      PodDefaults.putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
    }
    if (List.of("NodePort", "LoadBalancer", "ClusterIP").contains(type)) {
      PodDefaults.putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer") && !Checks.present(spec, "allocateLoadBalancerNodePorts")) {
      spec.put("allocateLoadBalancerNodePorts", true);
    }
    if (!type.equals("ExternalName")) {
      clusterIps(spec);
      families(spec);
    }
  }

  private static void clusterIps(ObjectNode spec) {
    String clusterIp = Checks.text(spec, "clusterIP");
    JsonNode clusterIps = spec.path("clusterIPs");
    if (!clusterIp.isEmpty() && clusterIps.isEmpty()) {
      spec.putArray("clusterIPs").add(clusterIp);
    } else if (clusterIp.isEmpty() && !clusterIps.isEmpty()) {
      spec.put("clusterIP", clusterIps.get(0).asText());
    }
  }

  private static void families(ObjectNode spec) {
    boolean headlessWithoutSelector =
        Checks.text(spec, "clusterIP").equals("None") && spec.path("selector").isEmpty();
    if (!Checks.present(spec, "ipFamilyPolicy")) {
      spec.put("ipFamilyPolicy", headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
    }
    ArrayNode families = PodDefaults.array(spec, "ipFamilies");
    JsonNode clusterIps = spec.path("clusterIPs");
    for (int i = families.size(); i < clusterIps.size(); i++) {
      String ip = clusterIps.get(i).asText();
      if (ip.equals("None")) {
        break;
      }
      families.add(ip.contains(":") ? "IPv6" : "IPv4");
    }
    if (families.isEmpty()) {
      families.add("IPv4");
    }
    if (headlessWithoutSelector
        && families.size() == 1
        && !Checks.text(spec, "ipFamilyPolicy").equals("SingleStack")) {
      families.add(families.get(0).asText().equals("IPv4") ? "IPv6" : "IPv4");
    }
  }

  /**
   * What an update keeps from the stored service when it leaves it out, as upstream's {@code
   * patchAllocatedValues}: the allocated cluster IPs, node ports and health check port, and the IP
   * family fields.
   */
  static void carryOver(ObjectNode updated, JsonNode existing) {
    ObjectNode spec = PodDefaults.object(updated, "spec");
    JsonNode old = existing.path("spec");
    boolean bothNeedIps = needsClusterIp(spec) && needsClusterIp(old);
    if (bothNeedIps) {
      // A changed clusterIP beside unchanged clusterIPs is the user's intent for the primary IP.
      String clusterIp = Checks.text(spec, "clusterIP");
      if (!clusterIp.isEmpty()
          && !clusterIp.equals(Checks.text(old, "clusterIP"))
          && Checks.same(spec.path("clusterIPs"), old.path("clusterIPs"))
          && spec.get("clusterIPs") instanceof ArrayNode ips
          && !ips.isEmpty()) {
        ips.set(0, clusterIp);
      }
      if (Checks.text(spec, "clusterIP").isEmpty() && Checks.present(old, "clusterIP")) {
        spec.set("clusterIP", old.get("clusterIP").deepCopy());
      }
      if (spec.path("clusterIPs").isEmpty() && Checks.present(old, "clusterIPs")) {
        spec.set("clusterIPs", old.get("clusterIPs").deepCopy());
      }
    }
    for (String field : List.of("ipFamilyPolicy", "ipFamilies")) {
      if (!Checks.present(spec, field) && Checks.present(old, field) && bothNeedIps) {
        spec.set(field, old.get(field).deepCopy());
      }
    }
    if (needsNodePorts(spec) && needsNodePorts(old)) {
      for (JsonNode port : spec.path("ports")) {
        if (port instanceof ObjectNode p && p.path("nodePort").asLong(0) == 0) {
          for (JsonNode before : old.path("ports")) {
            if (before.path("port").asLong() == p.path("port").asLong()
                && protocol(before).equals(protocol(p))
                && before.path("nodePort").asLong(0) != 0) {
              p.set("nodePort", before.get("nodePort"));
              break;
            }
          }
        }
      }
    }
    if (spec.path("healthCheckNodePort").asLong(0) == 0
        && old.path("healthCheckNodePort").asLong(0) != 0
        && Checks.text(spec, "externalTrafficPolicy").equals("Local")) {
      spec.set("healthCheckNodePort", old.get("healthCheckNodePort"));
    }
  }

  /**
   * Upstream's {@code dropTypeDependentFields}: when an update changes the type to one that has no
   * use for a value allocated for the old type (cluster IPs, node ports, the health check node
   * port) or set for it, and leaves that value as it was, the value goes (and what was allocated is
   * freed with it). A value the update changed stays, for validation to refuse.
   */
  static void dropTypeDependentFields(ObjectNode updated, JsonNode existing) {
    ObjectNode spec = PodDefaults.object(updated, "spec");
    JsonNode old = existing.path("spec");
    if (needsClusterIp(old) && !needsClusterIp(spec)) {
      if (Checks.text(spec, "clusterIP").equals(Checks.text(old, "clusterIP"))
          && Checks.same(spec.path("clusterIPs"), old.path("clusterIPs"))) {
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
      }
      for (String field : List.of("ipFamilies", "ipFamilyPolicy")) {
        if (Checks.same(spec.path(field), old.path(field))) {
          spec.remove(field);
        }
      }
    }
    if (needsNodePorts(old)
        && !needsNodePorts(spec)
        && nodePorts(old).containsAll(nodePorts(spec))) {
      for (JsonNode port : spec.path("ports")) {
        if (port instanceof ObjectNode p) {
          p.remove("nodePort");
        }
      }
    }
    if (needsHealthCheckNodePort(old)
        && !needsHealthCheckNodePort(spec)
        && spec.path("healthCheckNodePort").asLong(0)
            == old.path("healthCheckNodePort").asLong(0)) {
      spec.remove("healthCheckNodePort");
    }
    boolean wasLoadBalancer = type(old).equals("LoadBalancer");
    if (wasLoadBalancer && !type(spec).equals("LoadBalancer")) {
      if (Checks.present(spec, "allocateLoadBalancerNodePorts")
          && spec.get("allocateLoadBalancerNodePorts")
              .equals(old.get("allocateLoadBalancerNodePorts"))) {
        spec.remove("allocateLoadBalancerNodePorts");
      }
      if (Checks.same(spec.path("loadBalancerClass"), old.path("loadBalancerClass"))) {
        spec.remove("loadBalancerClass");
      }
    }
    if (needsNodePorts(old)
        && !needsNodePorts(spec)
        && Checks.text(spec, "externalTrafficPolicy")
            .equals(Checks.text(old, "externalTrafficPolicy"))) {
      spec.remove("externalTrafficPolicy");
    }
    if (!type(spec).equals("LoadBalancer") && updated.path("status").has("loadBalancer")) {
      ((ObjectNode) updated.get("status")).putObject("loadBalancer");
    }
  }

  private static List<Long> nodePorts(JsonNode spec) {
    List<Long> ports = new java.util.ArrayList<>();
    for (JsonNode port : spec.path("ports")) {
      long nodePort = port.path("nodePort").asLong(0);
      if (nodePort != 0) {
        ports.add(nodePort);
      }
    }
    return ports;
  }

  private static boolean needsHealthCheckNodePort(JsonNode spec) {
    return type(spec).equals("LoadBalancer")
        && Checks.text(spec, "externalTrafficPolicy").equals("Local");
  }

  /** The protocol of a port, TCP when unset: carrying over comes before defaulting. */
  private static String protocol(JsonNode port) {
    String protocol = Checks.text(port, "protocol");
    return protocol.isEmpty() ? "TCP" : protocol;
  }

  /** The type, ClusterIP when unset: what defaulting will make it. */
  private static String type(JsonNode spec) {
    String type = Checks.text(spec, "type");
    return type.isEmpty() ? "ClusterIP" : type;
  }

  private static boolean needsClusterIp(JsonNode spec) {
    return !Checks.text(spec, "type").equals("ExternalName");
  }

  private static boolean needsNodePorts(JsonNode spec) {
    String type = type(spec);
    return type.equals("NodePort") || type.equals("LoadBalancer");
  }
}
