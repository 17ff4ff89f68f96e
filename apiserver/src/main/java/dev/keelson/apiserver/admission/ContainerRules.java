package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Upstream's checks of one container: {@code validateContainerCommon} and what it calls. */
final class ContainerRules {

  static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
  private static final Set<String> STANDARD_CONTAINER_RESOURCES =
      Set.of("cpu", "memory", "ephemeral-storage");

  private ContainerRules() {}

  static List<FieldCause> common(JsonNode container, String path, Map<String, JsonNode> volumes) {
    List<FieldCause> causes = new ArrayList<>();
    String name = Checks.text(container, "name");
    if (name.isEmpty()) {
      causes.add(FieldCause.required(path + ".name", ""));
    } else {
      Formats.dns1123Label(name)
          .forEach(m -> causes.add(FieldCause.invalid(path + ".name", name, m)));
    }
    if (Checks.text(container, "image").isEmpty()) {
      causes.add(FieldCause.required(path + ".image", ""));
    }
    oneOf(causes, container, "terminationMessagePolicy", path, MESSAGE_POLICIES);
    causes.addAll(ports(container.path("ports"), path + ".ports"));
    causes.addAll(env(container.path("env"), path + ".env"));
    causes.addAll(envFrom(container.path("envFrom"), path + ".envFrom"));
    causes.addAll(volumeMounts(container.path("volumeMounts"), path + ".volumeMounts", volumes));
    oneOf(causes, container, "imagePullPolicy", path, PULL_POLICIES);
    causes.addAll(resources(container.path("resources"), path + ".resources"));
    return causes;
  }

  /** A required enumerated string: empty is Required, anything else unknown is NotSupported. */
  static void oneOf(
      List<FieldCause> causes, JsonNode node, String field, String path, List<String> supported) {
    String value = Checks.text(node, field);
    if (value.isEmpty()) {
      causes.add(FieldCause.required(path + "." + field, ""));
    } else if (!supported.contains(value)) {
      causes.add(FieldCause.notSupported(path + "." + field, value, supported));
    }
  }

  static List<FieldCause> ports(JsonNode ports, String path) {
    List<FieldCause> causes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      String at = path + "[" + i + "]";
      String name = Checks.text(port, "name");
      if (!name.isEmpty()) {
        List<String> errors = Formats.portName(name);
        if (!errors.isEmpty()) {
          errors.forEach(m -> causes.add(FieldCause.invalid(at + ".name", name, m)));
        } else if (!names.add(name)) {
          causes.add(FieldCause.duplicate(at + ".name", name));
        }
      }
      long containerPort = port.path("containerPort").asLong(0);
      if (containerPort == 0) {
        causes.add(FieldCause.required(at + ".containerPort", ""));
      } else {
        Formats.portNumber(containerPort)
            .forEach(m -> causes.add(FieldCause.invalid(at + ".containerPort", containerPort, m)));
      }
      long hostPort = port.path("hostPort").asLong(0);
      if (hostPort != 0) {
        Formats.portNumber(hostPort)
            .forEach(m -> causes.add(FieldCause.invalid(at + ".hostPort", hostPort, m)));
      }
      protocol(causes, port, at);
    }
    return causes;
  }

  static void protocol(List<FieldCause> causes, JsonNode port, String at) {
    String protocol = Checks.text(port, "protocol");
    if (protocol.isEmpty()) {
      causes.add(FieldCause.required(at + ".protocol", ""));
    } else if (!PROTOCOLS.contains(protocol)) {
      causes.add(FieldCause.notSupported(at + ".protocol", protocol, PROTOCOLS));
    }
  }

  private static List<FieldCause> env(JsonNode env, String path) {
    List<FieldCause> causes = new ArrayList<>();
    for (int i = 0; i < env.size(); i++) {
      JsonNode variable = env.get(i);
      String at = path + "[" + i + "]";
      String name = Checks.text(variable, "name");
      if (name.isEmpty()) {
        causes.add(FieldCause.required(at + ".name", ""));
      } else {
        Formats.envVarName(name)
            .forEach(m -> causes.add(FieldCause.invalid(at + ".name", name, m)));
      }
      JsonNode from = variable.get("valueFrom");
      if (from == null || from.isNull()) {
        continue;
      }
      int sources = 0;
      for (String source :
          List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")) {
        if (Checks.present(from, source)) {
          sources++;
          if (source.endsWith("KeyRef")) {
            keyRef(causes, from.get(source), at + ".valueFrom." + source);
          }
        }
      }
      if (sources == 0) {
        causes.add(
            FieldCause.invalid(
                at + ".valueFrom",
                "",
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or"
                    + " `secretKeyRef`"));
      } else if (!Checks.text(variable, "value").isEmpty()) {
        causes.add(
            FieldCause.invalid(
                at + ".valueFrom", "", "may not be specified when `value` is not empty"));
      } else if (sources > 1) {
        causes.add(
            FieldCause.invalid(
                at + ".valueFrom", "", "may not have more than one field specified at a time"));
      }
    }
    return causes;
  }

  private static void keyRef(List<FieldCause> causes, JsonNode ref, String path) {
    String name = Checks.text(ref, "name");
    Formats.dns1123Subdomain(name)
        .forEach(m -> causes.add(FieldCause.invalid(path + ".name", name, m)));
    String key = Checks.text(ref, "key");
    if (key.isEmpty()) {
      causes.add(FieldCause.required(path + ".key", ""));
    } else {
      Formats.configKey(key).forEach(m -> causes.add(FieldCause.invalid(path + ".key", key, m)));
    }
  }

  private static List<FieldCause> envFrom(JsonNode sources, String path) {
    List<FieldCause> causes = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      JsonNode source = sources.get(i);
      String at = path + "[" + i + "]";
      String prefix = Checks.text(source, "prefix");
      Formats.envVarName(prefix)
          .forEach(m -> causes.add(FieldCause.invalid(at + ".prefix", prefix, m)));
      int count = 0;
      for (String kind : List.of("configMapRef", "secretRef")) {
        if (Checks.present(source, kind)) {
          count++;
          String name = Checks.text(source.get(kind), "name");
          if (name.isEmpty()) {
            causes.add(FieldCause.required(at + "." + kind + ".name", ""));
          } else {
            MetaRules.NameRule.DNS_SUBDOMAIN
                .check(name, true)
                .forEach(m -> causes.add(FieldCause.invalid(at + "." + kind + ".name", name, m)));
          }
        }
      }
      if (count == 0) {
        causes.add(
            FieldCause.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
      } else if (count > 1) {
        causes.add(
            FieldCause.invalid(path, "", "may not have more than one field specified at a time"));
      }
    }
    return causes;
  }

  private static List<FieldCause> volumeMounts(
      JsonNode mounts, String path, Map<String, JsonNode> volumes) {
    List<FieldCause> causes = new ArrayList<>();
    Set<String> mountPoints = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      JsonNode mount = mounts.get(i);
      String at = path + "[" + i + "]";
      String name = Checks.text(mount, "name");
      if (name.isEmpty()) {
        causes.add(FieldCause.required(at + ".name", ""));
      }
      if (!volumes.containsKey(name)) {
        causes.add(FieldCause.notFound(at + ".name", name));
      }
      String mountPath = Checks.text(mount, "mountPath");
      if (mountPath.isEmpty()) {
        causes.add(FieldCause.required(at + ".mountPath", ""));
      }
      if (!mountPoints.add(mountPath)) {
        causes.add(FieldCause.invalid(at + ".mountPath", mountPath, "must be unique"));
      }
    }
    return causes;
  }

  static List<FieldCause> resources(JsonNode resources, String path) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode limits = resources.path("limits");
    limits
        .fields()
        .forEachRemaining(
            e -> quantity(causes, e.getKey(), e.getValue(), path + ".limits[" + e.getKey() + "]"));
    resources
        .path("requests")
        .fields()
        .forEachRemaining(
            e -> {
              String at = path + ".requests[" + e.getKey() + "]";
              Optional<BigDecimal> request = quantity(causes, e.getKey(), e.getValue(), at);
              Optional<BigDecimal> limit = Quantity.parse(limits.get(e.getKey()));
              if (request.isPresent()
                  && limit.isPresent()
                  && request.get().compareTo(limit.get()) > 0) {
                causes.add(
                    FieldCause.invalid(
                        path + ".requests",
                        e.getValue().asText(),
                        "must be less than or equal to "
                            + e.getKey()
                            + " limit of "
                            + limits.get(e.getKey()).asText()));
              }
            });
    return causes;
  }

  private static Optional<BigDecimal> quantity(
      List<FieldCause> causes, String resource, JsonNode value, String path) {
    for (String msg : Formats.qualifiedName(resource)) {
      causes.add(FieldCause.invalid(path, resource, msg));
    }
    if (!resource.contains("/")
        && !STANDARD_CONTAINER_RESOURCES.contains(resource)
        && !resource.startsWith("hugepages-")) {
      causes.add(FieldCause.invalid(path, resource, "must be a standard resource for containers"));
    }
    Optional<BigDecimal> parsed = Quantity.parse(value);
    if (parsed.isEmpty()) {
      causes.add(FieldCause.invalid(path, value.asText(), Quantity.FORMAT_ERROR));
    } else if (parsed.get().signum() < 0) {
      causes.add(FieldCause.invalid(path, value.asText(), Checks.NEGATIVE));
    }
    return parsed;
  }
}
