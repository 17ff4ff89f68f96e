package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Upstream's {@code ValidateService} and {@code ValidateServiceUpdate}. */
final class ServiceRules {

  private static final List<String> TYPES =
      List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  private static final List<String> AFFINITIES = List.of("ClientIP", "None");
  private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
  private static final List<String> FAMILIES = List.of("IPv4", "IPv6");
  private static final List<String> FAMILY_POLICIES =
      List.of("PreferDualStack", "RequireDualStack", "SingleStack");

  private ServiceRules() {}

  static List<FieldCause> create(JsonNode service) {
    List<FieldCause> causes = MetaRules.create(service, true, MetaRules.NameRule.DNS1035_LABEL);
    causes.addAll(spec(service.path("spec")));
    return causes;
  }

  static List<FieldCause> update(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = MetaRules.update(updated, existing);
    causes.addAll(clusterIpChanges(updated.path("spec"), existing.path("spec")));
    causes.addAll(spec(updated.path("spec")));
    return causes;
  }

  private static List<FieldCause> spec(JsonNode spec) {
    List<FieldCause> causes = new ArrayList<>();
    String type = Checks.text(spec, "type");
    boolean headless = headless(spec);
    JsonNode ports = spec.path("ports");
    if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
      causes.add(FieldCause.required("spec.ports", ""));
    }
    switch (type) {
      case "LoadBalancer", "NodePort" -> {
        if (headless) {
          causes.add(
              FieldCause.invalid(
                  "spec.clusterIPs[0]",
                  "None",
                  "may not be set to 'None' for " + type + " services"));
        }
      }
      case "ExternalName" -> {
        for (String field : List.of("clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
          if (!Checks.pruned(spec.path(field)).isMissingNode()) {
            causes.add(
                FieldCause.forbidden("spec." + field, "may not be set for ExternalName services"));
          }
        }
        String cname = Checks.text(spec, "externalName").replaceAll("\\.$", "");
        if (cname.isEmpty()) {
          causes.add(FieldCause.required("spec.externalName", ""));
        } else {
          Formats.dns1123Subdomain(cname)
              .forEach(m -> causes.add(FieldCause.invalid("spec.externalName", cname, m)));
        }
      }
      default -> {}
    }
    causes.addAll(ports(ports, type));
    causes.addAll(MetaRules.labels(spec.path("selector"), "spec.selector"));
    String affinity = Checks.text(spec, "sessionAffinity");
    if (affinity.isEmpty()) {
      causes.add(FieldCause.required("spec.sessionAffinity", ""));
    } else if (!AFFINITIES.contains(affinity)) {
      causes.add(FieldCause.notSupported("spec.sessionAffinity", affinity, AFFINITIES));
    } else if (affinity.equals("None") && Checks.present(spec, "sessionAffinityConfig")) {
      causes.add(
          FieldCause.forbidden(
              "spec.sessionAffinityConfig", "must not be set when session affinity is None"));
    } else if (affinity.equals("ClientIP")
        && !Checks.present(spec.path("sessionAffinityConfig").path("clientIP"), "timeoutSeconds")) {
      causes.add(
          FieldCause.required(
              "spec.sessionAffinityConfig", "when session affinity type is ClientIP"));
    }
    if (!type.equals("ExternalName")) {
      causes.addAll(clusterIps(spec));
    }
    JsonNode externalIps = spec.path("externalIPs");
    for (int i = 0; i < externalIps.size(); i++) {
      String ip = externalIps.get(i).asText();
      if (!Formats.isIp(ip)) {
        causes.add(FieldCause.invalid("spec.externalIPs[" + i + "]", ip, Formats.ipError()));
      }
    }
    if (type.isEmpty()) {
      causes.add(FieldCause.required("spec.type", ""));
    } else if (!TYPES.contains(type)) {
      causes.add(FieldCause.notSupported("spec.type", type, TYPES));
    }
    if (!spec.path("loadBalancerSourceRanges").isEmpty() && !type.equals("LoadBalancer")) {
      causes.add(
          FieldCause.forbidden(
              "spec.LoadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'"));
    }
    if (Checks.present(spec, "allocateLoadBalancerNodePorts") && !type.equals("LoadBalancer")) {
      causes.add(
          FieldCause.forbidden(
              "spec.allocateLoadBalancerNodePorts",
              "may only be used when `type` is 'LoadBalancer'"));
    }
    causes.addAll(trafficPolicies(spec, type));
    return causes;
  }

  private static List<FieldCause> ports(JsonNode ports, String type) {
    List<FieldCause> causes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> nodePorts = new HashSet<>();
    Set<String> protocolPorts = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      String at = "spec.ports[" + i + "]";
      String name = Checks.text(port, "name");
      if (ports.size() > 1 && name.isEmpty()) {
        causes.add(FieldCause.required(at + ".name", ""));
      } else if (!name.isEmpty()) {
        Formats.dns1123Label(name)
            .forEach(m -> causes.add(FieldCause.invalid(at + ".name", name, m)));
        if (!names.add(name)) {
          causes.add(FieldCause.duplicate(at + ".name", name));
        }
      }
      long number = port.path("port").asLong(0);
      Formats.portNumber(number)
          .forEach(m -> causes.add(FieldCause.invalid(at + ".port", number, m)));
      ContainerRules.protocol(causes, port, at);
      causes.addAll(ProbeRules.portNumberOrName(port.path("targetPort"), at + ".targetPort"));
      long nodePort = port.path("nodePort").asLong(0);
      if (type.equals("ClusterIP") && nodePort != 0) {
        causes.add(
            FieldCause.forbidden(at + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
      }
      String protocol = Checks.text(port, "protocol");
      if (nodePort != 0 && !nodePorts.add(protocol + "/" + nodePort)) {
        causes.add(FieldCause.duplicate(at + ".nodePort", nodePort));
      }
      if (!protocolPorts.add(protocol + "/" + number)) {
        causes.add(
            FieldCause.duplicate(
                at,
                new GoValue.Raw(
                    "core.ServicePort{Name:\"\", Protocol:"
                        + GoValue.quote(protocol)
                        + ", AppProtocol:(*string)(nil), Port:"
                        + number
                        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")));
      }
    }
    return causes;
  }

  private static List<FieldCause> clusterIps(JsonNode spec) {
    List<FieldCause> causes = new ArrayList<>();
    String clusterIp = Checks.text(spec, "clusterIP");
    JsonNode clusterIps = spec.path("clusterIPs");
    GoValue.Raw shown = new GoValue.Raw(Checks.stringSlice(clusterIps));
    if (!clusterIp.isEmpty()) {
      if (clusterIps.isEmpty()) {
        causes.add(FieldCause.required("spec.clusterIPs", ""));
      } else if (!clusterIps.get(0).asText().equals(clusterIp)) {
        causes.add(
            FieldCause.invalid("spec.clusterIPs", shown, "first value must match `clusterIP`"));
      }
    } else if (!clusterIps.isEmpty()) {
      causes.add(
          FieldCause.invalid(
              "spec.clusterIPs", shown, "must be empty when `clusterIP` is not specified"));
    }
    JsonNode families = spec.path("ipFamilies");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < families.size(); i++) {
      String family = families.get(i).asText();
      if (!FAMILIES.contains(family)) {
        causes.add(FieldCause.notSupported("spec.ipFamilies[" + i + "]", family, FAMILIES));
      }
      if (!seen.add(family)) {
        causes.add(FieldCause.duplicate("spec.ipFamilies[" + i + "]", family));
      }
    }
    String policy = Checks.text(spec, "ipFamilyPolicy");
    if (Checks.present(spec, "ipFamilyPolicy") && !FAMILY_POLICIES.contains(policy)) {
      causes.add(FieldCause.notSupported("spec.ipFamilyPolicy", policy, FAMILY_POLICIES));
    }
    for (int i = 0; i < clusterIps.size(); i++) {
      String ip = clusterIps.get(i).asText();
      if (i == 0 && ip.equals("None")) {
        if (clusterIps.size() > 1) {
          causes.add(
              FieldCause.invalid(
                  "spec.clusterIPs", shown, "'None' must be the first and only value"));
        }
        continue;
      }
      if (!Formats.isIp(ip)) {
        causes.add(FieldCause.invalid("spec.clusterIPs[" + i + "]", ip, Formats.ipError()));
      }
    }
    if (clusterIps.size() > 2) {
      causes.add(FieldCause.invalid("spec.clusterIPs", shown, "may only hold up to 2 values"));
    }
    return causes;
  }

  private static List<FieldCause> trafficPolicies(JsonNode spec, String type) {
    List<FieldCause> causes = new ArrayList<>();
    String external = Checks.text(spec, "externalTrafficPolicy");
    if (!externallyAccessible(spec)) {
      if (!external.isEmpty()) {
        causes.add(
            FieldCause.invalid(
                "spec.externalTrafficPolicy",
                external,
                "may only be set for externally-accessible services"));
      }
    } else if (external.isEmpty()) {
      causes.add(FieldCause.required("spec.externalTrafficPolicy", ""));
    } else if (!TRAFFIC_POLICIES.contains(external)) {
      causes.add(FieldCause.notSupported("spec.externalTrafficPolicy", external, TRAFFIC_POLICIES));
    }
    String internal = Checks.text(spec, "internalTrafficPolicy");
    if (internal.isEmpty()) {
      if (List.of("NodePort", "LoadBalancer", "ClusterIP").contains(type)) {
        causes.add(FieldCause.required("spec.internalTrafficPolicy", ""));
      }
    } else if (!TRAFFIC_POLICIES.contains(internal)) {
      causes.add(FieldCause.notSupported("spec.internalTrafficPolicy", internal, TRAFFIC_POLICIES));
    }
    return causes;
  }

  /** The primary cluster IP may not change once set; a secondary one may come and go. */
  private static List<FieldCause> clusterIpChanges(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = new ArrayList<>();
    if (Checks.text(updated, "type").equals("ExternalName")
        || Checks.text(existing, "type").equals("ExternalName")
        || (headless(updated) && headless(existing))) {
      return causes;
    }
    JsonNode now = updated.path("clusterIPs");
    JsonNode before = existing.path("clusterIPs");
    GoValue.Raw shown = new GoValue.Raw(Checks.stringSlice(now));
    if (before.size() == now.size()) {
      for (int i = 0; i < before.size(); i++) {
        if (!before.get(i).asText().equals(now.get(i).asText())) {
          causes.add(
              FieldCause.invalid("spec.clusterIPs[" + i + "]", shown, "may not change once set"));
        }
      }
    } else if (before.size() > now.size()) {
      if (now.isEmpty()) {
        causes.add(
            FieldCause.invalid("spec.clusterIPs[0]", shown, "primary clusterIP can not be unset"));
      } else if (!now.get(0).asText().equals(before.get(0).asText())) {
        causes.add(FieldCause.invalid("spec.clusterIPs[0]", shown, "may not change once set"));
      }
      if (now.size() == 1 && !Checks.text(updated, "ipFamilyPolicy").equals("SingleStack")) {
        causes.add(
            FieldCause.invalid(
                "spec.ipFamilyPolicy",
                updated.path("ipFamilyPolicy"),
                "must be set to 'SingleStack' when releasing the secondary clusterIP"));
      }
    } else if (!before.isEmpty() && !now.get(0).asText().equals(before.get(0).asText())) {
      causes.add(FieldCause.invalid("spec.clusterIPs[0]", shown, "may not change once set"));
    }
    return causes;
  }

  static boolean headless(JsonNode spec) {
    JsonNode ips = spec.path("clusterIPs");
    return (ips.size() == 1 && ips.get(0).asText().equals("None"))
        || (ips.isEmpty() && Checks.text(spec, "clusterIP").equals("None"));
  }

  static boolean externallyAccessible(JsonNode spec) {
    String type = Checks.text(spec, "type");
    return type.equals("LoadBalancer")
        || type.equals("NodePort")
        || (type.equals("ClusterIP") && !spec.path("externalIPs").isEmpty());
  }
}
