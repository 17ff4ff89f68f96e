package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Upstream's {@code ValidatePodSpec}: the spec of a pod or of a workload's pod template. */
final class PodSpecRules {

  static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  private static final List<String> DNS_POLICIES =
      List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  private static final List<String> PREEMPTION_POLICIES = List.of("PreemptLowerPriority", "Never");
  private static final long MAX_INT32 = Integer.MAX_VALUE;

  private PodSpecRules() {}

  /**
   * @param isPod the spec is a pod's, not a template's: a few checks are stricter then
   */
  static List<FieldCause> validate(JsonNode spec, String path, boolean isPod) {
    List<FieldCause> causes = new ArrayList<>();
    if (!Checks.present(spec, "terminationGracePeriodSeconds")) {
      causes.add(FieldCause.required(path + ".terminationGracePeriodSeconds", ""));
    }
    Map<String, JsonNode> volumes =
        VolumeRules.validate(spec.path("volumes"), path + ".volumes", causes);
    causes.addAll(containers(spec.path("containers"), path + ".containers", volumes));
    causes.addAll(initContainers(spec, path + ".initContainers", volumes));
    causes.addAll(hostNetwork(spec, path, isPod));
    ContainerRules.oneOf(causes, spec, "restartPolicy", path, RESTART_POLICIES);
    ContainerRules.oneOf(causes, spec, "dnsPolicy", path, DNS_POLICIES);
    causes.addAll(MetaRules.labels(spec.path("nodeSelector"), path + ".nodeSelector"));
    for (int i = 0; i < spec.path("imagePullSecrets").size(); i++) {
      JsonNode secret = spec.path("imagePullSecrets").get(i);
      if (secret.size() > 1 || (secret.size() == 1 && !secret.has("name"))) {
        causes.add(
            FieldCause.invalid(
                path + ".imagePullSecrets[" + i + "]", secret, "only name may be set"));
      }
    }
    if ("None".equals(Checks.text(spec, "dnsPolicy"))) {
      JsonNode dnsConfig = spec.get("dnsConfig");
      if (dnsConfig == null || dnsConfig.isNull()) {
        causes.add(
            FieldCause.required(
                path + ".dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None"));
      } else if (dnsConfig.path("nameservers").isEmpty()) {
        causes.add(
            FieldCause.required(
                path + ".dnsConfig.nameservers",
                "must provide at least one DNS nameserver when `dnsPolicy` is None"));
      }
    }
    causes.addAll(TolerationRules.validate(spec.path("tolerations"), path + ".tolerations"));
    names(causes, spec, path);
    JsonNode deadline = spec.get("activeDeadlineSeconds");
    if (deadline != null
        && deadline.isNumber()
        && (deadline.asLong() < 1 || deadline.asLong() > MAX_INT32)) {
      causes.add(
          FieldCause.invalid(
              path + ".activeDeadlineSeconds",
              deadline.asLong(),
              Formats.inclusiveRange(1, MAX_INT32)));
    }
    if (Checks.present(spec, "preemptionPolicy")) {
      ContainerRules.oneOf(causes, spec, "preemptionPolicy", path, PREEMPTION_POLICIES);
    }
    JsonNode context = spec.path("securityContext");
    for (String id : List.of("runAsUser", "runAsGroup", "fsGroup")) {
      JsonNode value = context.get(id);
      if (value != null
          && value.isNumber()
          && (value.asLong() < 0 || value.asLong() > 0xffffffffL)) {
        causes.add(
            FieldCause.invalid(
                path + ".securityContext." + id,
                value.asLong(),
                Formats.inclusiveRange(0, 0xffffffffL)));
      }
    }
    return causes;
  }

  private static void names(List<FieldCause> causes, JsonNode spec, String path) {
    for (String field : List.of("serviceAccountName", "nodeName", "priorityClassName")) {
      String value = Checks.text(spec, field);
      if (!value.isEmpty()) {
        Formats.dns1123Subdomain(value)
            .forEach(m -> causes.add(FieldCause.invalid(path + "." + field, value, m)));
      }
    }
    for (String field : List.of("hostname", "subdomain")) {
      String value = Checks.text(spec, field);
      if (!value.isEmpty()) {
        Formats.dns1123Label(value)
            .forEach(m -> causes.add(FieldCause.invalid(path + "." + field, value, m)));
      }
    }
  }

  private static List<FieldCause> containers(
      JsonNode containers, String path, Map<String, JsonNode> volumes) {
    List<FieldCause> causes = new ArrayList<>();
    if (containers.isEmpty()) {
      causes.add(FieldCause.required(path, ""));
      return causes;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      JsonNode container = containers.get(i);
      String at = path + "[" + i + "]";
      causes.addAll(ContainerRules.common(container, at, volumes));
      String name = Checks.text(container, "name");
      if (!names.add(name)) {
        causes.add(FieldCause.duplicate(at + ".name", name));
      }
      causes.addAll(ProbeRules.all(container, at));
      if (Checks.present(container, "restartPolicy")) {
        causes.add(
            FieldCause.forbidden(at + ".restartPolicy", "may not be set for non-init containers"));
      }
    }
    List<JsonNode> all = new ArrayList<>();
    containers.forEach(all::add);
    causes.addAll(hostPortConflicts(all, path, 0));
    return causes;
  }

  private static List<FieldCause> initContainers(
      JsonNode spec, String path, Map<String, JsonNode> volumes) {
    List<FieldCause> causes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    spec.path("containers").forEach(c -> names.add(Checks.text(c, "name")));
    JsonNode containers = spec.path("initContainers");
    for (int i = 0; i < containers.size(); i++) {
      JsonNode container = containers.get(i);
      String at = path + "[" + i + "]";
      causes.addAll(ContainerRules.common(container, at, volumes));
      String restart = Checks.text(container, "restartPolicy");
      if (!restart.isEmpty() && !restart.equals("Always")) {
        causes.add(FieldCause.notSupported(at + ".restartPolicy", restart, List.of("Always")));
      }
      String name = Checks.text(container, "name");
      if (names.contains(name)) {
        causes.add(FieldCause.duplicate(at + ".name", name));
      } else if (!name.isEmpty()) {
        names.add(name);
      }
      // Init containers run one by one, so each is checked for conflicts on its own.
      causes.addAll(hostPortConflicts(List.of(container), path, i));
      if (restart.equals("Always")) {
        causes.addAll(ProbeRules.all(container, at));
      } else {
        for (String field :
            List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
          if (Checks.present(container, field)) {
            causes.add(
                FieldCause.forbidden(
                    at + "." + field,
                    "may not be set for init containers without restartPolicy=Always"));
          }
        }
      }
    }
    return causes;
  }

  /** Two containers may not ask for the same host port, protocol and host IP. */
  private static List<FieldCause> hostPortConflicts(
      List<JsonNode> containers, String path, int firstIndex) {
    List<FieldCause> causes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int c = 0; c < containers.size(); c++) {
      int i = firstIndex + c;
      JsonNode ports = containers.get(c).path("ports");
      for (int j = 0; j < ports.size(); j++) {
        JsonNode port = ports.get(j);
        long hostPort = port.path("hostPort").asLong(0);
        if (hostPort == 0) {
          continue;
        }
        String key =
            Checks.text(port, "protocol") + "/" + Checks.text(port, "hostIP") + "/" + hostPort;
        if (!seen.add(key)) {
          causes.add(FieldCause.duplicate(path + "[" + i + "].ports[" + j + "].hostPort", key));
        }
      }
    }
    return causes;
  }

  private static List<FieldCause> hostNetwork(JsonNode spec, String path, boolean isPod) {
    List<FieldCause> causes = new ArrayList<>();
    if (!spec.path("hostNetwork").asBoolean(false)) {
      return causes;
    }
    JsonNode containers = spec.path("containers");
    for (int i = 0; i < containers.size(); i++) {
      JsonNode ports = containers.get(i).path("ports");
      for (int j = 0; j < ports.size(); j++) {
        long hostPort = ports.get(j).path("hostPort").asLong(0);
        long containerPort = ports.get(j).path("containerPort").asLong(0);
        if ((isPod || hostPort != 0) && hostPort != containerPort) {
          causes.add(
              FieldCause.invalid(
                  path + ".containers[" + i + "].ports[" + j + "].hostPort",
                  hostPort,
                  "must match `containerPort` when `hostNetwork` is true"));
        }
      }
    }
    return causes;
  }
}
