package dev.keelson.nodeagent.probe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's probe as the Pod API gives it, with the API's defaults applied: a field that is
 * absent or zero takes its default, as the apiserver's defaulting would have filled it in.
 */
public record ProbeSpec(
    Handler handler,
    int initialDelaySeconds,
    int timeoutSeconds,
    int periodSeconds,
    int successThreshold,
    int failureThreshold) {

  /** The probe {@code probe} (e.g. a container's {@code livenessProbe}), or null when absent. */
  public static ProbeSpec parse(JsonNode probe) {
    if (probe == null || probe.isMissingNode() || probe.isNull()) {
      return null;
    }
    return new ProbeSpec(
        handler(probe),
        Math.max(0, probe.path("initialDelaySeconds").asInt(0)),
        positiveOr(probe.path("timeoutSeconds").asInt(0), 1),
        positiveOr(probe.path("periodSeconds").asInt(0), 10),
        positiveOr(probe.path("successThreshold").asInt(0), 1),
        positiveOr(probe.path("failureThreshold").asInt(0), 3));
  }

  private static int positiveOr(int value, int fallback) {
    return value > 0 ? value : fallback;
  }

  /** The one handler the API allows a probe; the API's order decides if a probe names several. */
  private static Handler handler(JsonNode probe) {
    JsonNode exec = probe.path("exec");
    if (exec.isObject()) {
      List<String> command = new ArrayList<>();
      exec.path("command").forEach(part -> command.add(part.asText()));
      return new Handler.ExecAction(command);
    }
    JsonNode http = probe.path("httpGet");
    if (http.isObject()) {
      return new Handler.HttpGetAction(
          http.path("scheme").asText("").isEmpty() ? "HTTP" : http.path("scheme").asText(),
          http.path("host").asText(""),
          http.path("port"),
          http.path("path").asText("").isEmpty() ? "/" : http.path("path").asText(),
          headers(http.path("httpHeaders")));
    }
    JsonNode tcp = probe.path("tcpSocket");
    if (tcp.isObject()) {
      return new Handler.TcpSocketAction(tcp.path("host").asText(""), tcp.path("port"));
    }
    if (probe.path("grpc").isObject()) {
      return new Handler.Unsupported("grpc");
    }
    return new Handler.Unsupported("none");
  }

  /** Headers in their order; a name given twice keeps both values, comma-joined as HTTP allows. */
  private static Map<String, String> headers(JsonNode list) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (JsonNode header : list) {
      headers.merge(
          header.path("name").asText(),
          header.path("value").asText(""),
          (first, second) -> first + ", " + second);
    }
    return headers;
  }
}
