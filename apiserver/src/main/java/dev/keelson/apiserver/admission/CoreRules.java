package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Quantity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Upstream's validation of the smaller core kinds: Namespace, Node, Endpoints, Event. */
final class CoreRules {

  private CoreRules() {}

  static List<FieldCause> namespace(JsonNode namespace) {
    List<FieldCause> causes = MetaRules.create(namespace, false, MetaRules.NameRule.DNS_LABEL);
    JsonNode finalizers = namespace.path("spec").path("finalizers");
    causes.addAll(MetaRules.finalizers(finalizers, "spec.finalizers", false));
    return causes;
  }

  static List<FieldCause> node(JsonNode node) {
    List<FieldCause> causes = MetaRules.create(node, false, MetaRules.NameRule.DNS_SUBDOMAIN);
    causes.addAll(nodeSpec(node));
    return causes;
  }

  static List<FieldCause> nodeUpdate(JsonNode updated, JsonNode existing) {
    List<FieldCause> causes = MetaRules.update(updated, existing);
    JsonNode cidrs = existing.path("spec").path("podCIDRs");
    if (!cidrs.isEmpty() && !Checks.same(cidrs, updated.path("spec").path("podCIDRs"))) {
      causes.add(
          FieldCause.forbidden(
              "spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"));
    }
    String provider = Checks.text(existing.path("spec"), "providerID");
    if (!provider.isEmpty() && !provider.equals(Checks.text(updated.path("spec"), "providerID"))) {
      causes.add(
          FieldCause.forbidden(
              "spec.providerID",
              "node updates may not change providerID except from \"\" to valid"));
    }
    causes.addAll(nodeSpec(updated));
    return causes;
  }

  private static List<FieldCause> nodeSpec(JsonNode node) {
    List<FieldCause> causes = new ArrayList<>();
    // Upstream reports taints under metadata, so the paths say so too.
    causes.addAll(taints(node.path("spec").path("taints"), "metadata.taints"));
    for (String list : List.of("capacity", "allocatable")) {
      node.path("status")
          .path(list)
          .fields()
          .forEachRemaining(
              e -> {
                String path = "status." + list + "." + e.getKey();
                var value = Quantity.parse(e.getValue());
                if (value.isEmpty()) {
                  causes.add(
                      FieldCause.invalid(path, e.getValue().asText(), Quantity.FORMAT_ERROR));
                } else if (value.get().signum() < 0) {
                  causes.add(FieldCause.invalid(path, e.getValue().asText(), Checks.NEGATIVE));
                }
              });
    }
    return causes;
  }

  private static List<FieldCause> taints(JsonNode taints, String path) {
    List<FieldCause> causes = new ArrayList<>();
    Set<String> unique = new HashSet<>();
    for (int i = 0; i < taints.size(); i++) {
      JsonNode taint = taints.get(i);
      String at = path + "[" + i + "]";
      String key = Checks.text(taint, "key");
      String value = Checks.text(taint, "value");
      String effect = Checks.text(taint, "effect");
      Formats.qualifiedName(key).forEach(m -> causes.add(FieldCause.invalid(at + ".key", key, m)));
      List<String> valueErrors = Formats.labelValue(value);
      if (!valueErrors.isEmpty()) {
        causes.add(FieldCause.invalid(at + ".value", value, String.join(";", valueErrors)));
      }
      if (effect.isEmpty()) {
        causes.add(FieldCause.required(at + ".effect", ""));
      } else if (!TolerationRules.EFFECTS.contains(effect)) {
        causes.add(FieldCause.notSupported(at + ".effect", effect, TolerationRules.EFFECTS));
      }
      if (!unique.add(effect + "\u0000" + key)) {
        causes.add(
            new FieldCause(
                FieldCause.DUPLICATE,
                at,
                GoValue.render(
                    new GoValue.Raw(
                        "core.Taint{Key:"
                            + GoValue.quote(key)
                            + ", Value:"
                            + GoValue.quote(value)
                            + ", Effect:"
                            + GoValue.quote(effect)
                            + ", TimeAdded:<nil>}")),
                "taints must be unique by key and effect pair"));
      }
    }
    return causes;
  }

  static List<FieldCause> endpoints(JsonNode endpoints) {
    List<FieldCause> causes = MetaRules.create(endpoints, true, MetaRules.NameRule.DNS_SUBDOMAIN);
    causes.addAll(subsets(endpoints.path("subsets")));
    return causes;
  }

  static List<FieldCause> subsets(JsonNode subsets) {
    List<FieldCause> causes = new ArrayList<>();
    for (int i = 0; i < subsets.size(); i++) {
      JsonNode subset = subsets.get(i);
      String at = "subsets[" + i + "]";
      if (subset.path("addresses").isEmpty() && subset.path("notReadyAddresses").isEmpty()) {
        causes.add(FieldCause.required(at, "must specify `addresses` or `notReadyAddresses`"));
      }
      for (String list : List.of("addresses", "notReadyAddresses")) {
        JsonNode addresses = subset.path(list);
        for (int j = 0; j < addresses.size(); j++) {
          causes.addAll(address(addresses.get(j), at + "." + list + "[" + j + "]"));
        }
      }
      JsonNode ports = subset.path("ports");
      for (int j = 0; j < ports.size(); j++) {
        JsonNode port = ports.get(j);
        String portPath = at + ".ports[" + j + "]";
        String name = Checks.text(port, "name");
        if (ports.size() > 1 && name.isEmpty()) {
          causes.add(FieldCause.required(portPath + ".name", ""));
        } else if (!name.isEmpty()) {
          Formats.dns1123Label(name)
              .forEach(m -> causes.add(FieldCause.invalid(portPath + ".name", name, m)));
        }
        long number = port.path("port").asLong(0);
        Formats.portNumber(number)
            .forEach(m -> causes.add(FieldCause.invalid(portPath + ".port", number, m)));
        ContainerRules.protocol(causes, port, portPath);
      }
    }
    return causes;
  }

  private static List<FieldCause> address(JsonNode address, String path) {
    List<FieldCause> causes = new ArrayList<>();
    String ip = Checks.text(address, "ip");
    if (!Formats.isIp(ip)) {
      causes.add(FieldCause.invalid(path + ".ip", ip, Formats.ipError()));
      causes.add(FieldCause.invalid(path + ".ip", ip, "must be a valid IP address"));
    } else if (ip.equals("0.0.0.0") || ip.equals("::")) {
      causes.add(FieldCause.invalid(path + ".ip", ip, "may not be unspecified (" + ip + ")"));
    } else if (ip.startsWith("127.") || ip.equals("::1")) {
      causes.add(
          FieldCause.invalid(
              path + ".ip", ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
    } else if (ip.startsWith("169.254.") || ip.toLowerCase().startsWith("fe80:")) {
      causes.add(
          FieldCause.invalid(
              path + ".ip", ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
    } else if (ip.startsWith("224.0.0.")) {
      causes.add(
          FieldCause.invalid(
              path + ".ip",
              ip,
              "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
    }
    String hostname = Checks.text(address, "hostname");
    if (!hostname.isEmpty()) {
      Formats.dns1123Label(hostname)
          .forEach(m -> causes.add(FieldCause.invalid(path + ".hostname", hostname, m)));
    }
    if (Checks.present(address, "nodeName")) {
      String node = Checks.text(address, "nodeName");
      Formats.dns1123Subdomain(node)
          .forEach(m -> causes.add(FieldCause.invalid(path + ".nodeName", node, m)));
    }
    return causes;
  }

  /** A core/v1 Event gets only upstream's legacy checks; its name need only be a path segment. */
  static List<FieldCause> event(JsonNode event) {
    List<FieldCause> causes = MetaRules.create(event, true, MetaRules.NameRule.PATH_SEGMENT);
    String namespace = event.path("metadata").path("namespace").asText("");
    String involved = event.path("involvedObject").path("namespace").asText("");
    boolean eventTime = !Checks.text(event, "eventTime").isEmpty();
    boolean mismatch =
        eventTime
            ? involved.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")
            : involved.isEmpty()
                ? !namespace.isEmpty() && !namespace.equals("default")
                : !namespace.equals(involved);
    if (mismatch) {
      causes.add(
          FieldCause.invalid(
              "involvedObject.namespace", involved, "does not match event.namespace"));
    }
    return causes;
  }
}
