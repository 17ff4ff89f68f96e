package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Upstream's checks of probes and lifecycle handlers. */
final class ProbeRules {

  private static final List<String> SCHEMES = List.of("HTTP", "HTTPS");

  private ProbeRules() {}

  /** The probes and lifecycle of a container that may have them. */
  static List<FieldCause> all(JsonNode container, String path) {
    List<FieldCause> causes = new ArrayList<>();
    JsonNode lifecycle = container.get("lifecycle");
    if (lifecycle != null && lifecycle.isObject()) {
      for (String hook : List.of("postStart", "preStop")) {
        if (Checks.present(lifecycle, hook)) {
          causes.addAll(
              handler(
                  lifecycle.get(hook),
                  path + ".lifecycle." + hook,
                  List.of("exec", "httpGet", "tcpSocket", "sleep")));
        }
      }
    }
    probe(causes, container.get("livenessProbe"), path + ".livenessProbe", true);
    probe(causes, container.get("readinessProbe"), path + ".readinessProbe", false);
    probe(causes, container.get("startupProbe"), path + ".startupProbe", true);
    JsonNode readiness = container.get("readinessProbe");
    if (readiness != null && Checks.present(readiness, "terminationGracePeriodSeconds")) {
      causes.add(
          FieldCause.invalid(
              path + ".readinessProbe.terminationGracePeriodSeconds",
              readiness.get("terminationGracePeriodSeconds").asLong(),
              "must not be set for readinessProbes"));
    }
    return causes;
  }

  private static void probe(List<FieldCause> causes, JsonNode probe, String path, boolean single) {
    if (probe == null || !probe.isObject()) {
      return;
    }
    causes.addAll(handler(probe, path, List.of("exec", "httpGet", "tcpSocket", "grpc")));
    for (String field :
        List.of(
            "initialDelaySeconds",
            "timeoutSeconds",
            "periodSeconds",
            "successThreshold",
            "failureThreshold")) {
      Checks.nonNegative(causes, probe.get(field), path + "." + field);
    }
    JsonNode grace = probe.get("terminationGracePeriodSeconds");
    if (grace != null && grace.isNumber() && grace.asLong() <= 0) {
      causes.add(
          FieldCause.invalid(
              path + ".terminationGracePeriodSeconds", grace.asLong(), "must be greater than 0"));
    }
    if (single && probe.path("successThreshold").asLong(1) != 1) {
      causes.add(
          FieldCause.invalid(
              path + ".successThreshold", probe.path("successThreshold").asLong(), "must be 1"));
    }
  }

  private static List<FieldCause> handler(JsonNode handler, String path, List<String> kinds) {
    List<FieldCause> causes = new ArrayList<>();
    int count = 0;
    for (String kind : kinds) {
      if (!Checks.present(handler, kind)) {
        continue;
      }
      String at = path + "." + kind;
      if (count++ > 0) {
        causes.add(FieldCause.forbidden(at, "may not specify more than 1 handler type"));
        continue;
      }
      JsonNode action = handler.get(kind);
      switch (kind) {
        case "exec" -> {
          if (action.path("command").isEmpty()) {
            causes.add(FieldCause.required(at + ".command", ""));
          }
        }
        case "httpGet" -> {
          if (Checks.text(action, "path").isEmpty()) {
            causes.add(FieldCause.required(at + ".path", ""));
          }
          causes.addAll(portNumberOrName(action.path("port"), at + ".port"));
          String scheme = Checks.text(action, "scheme");
          if (!SCHEMES.contains(scheme)) {
            causes.add(FieldCause.notSupported(at + ".scheme", scheme, SCHEMES));
          }
          for (JsonNode header : action.path("httpHeaders")) {
            String name = Checks.text(header, "name");
            Formats.httpHeaderName(name)
                .forEach(m -> causes.add(FieldCause.invalid(at + ".httpHeaders", name, m)));
          }
        }
        case "tcpSocket", "grpc" ->
            causes.addAll(portNumberOrName(action.path("port"), at + ".port"));
        default -> {}
      }
    }
    if (count == 0) {
      causes.add(FieldCause.required(path, "must specify a handler type"));
    }
    return causes;
  }

  /** An int-or-string port: a number in range or a port name. */
  static List<FieldCause> portNumberOrName(JsonNode port, String path) {
    List<FieldCause> causes = new ArrayList<>();
    if (port.isTextual()) {
      String name = port.asText();
      Formats.portName(name).forEach(m -> causes.add(FieldCause.invalid(path, name, m)));
    } else {
      long number = port.asLong(0);
      Formats.portNumber(number).forEach(m -> causes.add(FieldCause.invalid(path, number, m)));
    }
    return causes;
  }
}
