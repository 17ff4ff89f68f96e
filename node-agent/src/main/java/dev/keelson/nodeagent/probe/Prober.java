package dev.keelson.nodeagent.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.ExecResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * Runs a probe once, as the kubelet's prober does: exec in the container through the runtime,
 * httpGet and tcpSocket from the node to the pod's IP (or the host the probe names). Blocking, for
 * about the probe's timeout at most; every failure, of the probe or of the machinery, is an
 * unsuccessful {@link ProbeOutcome}, never an exception.
 */
public final class Prober {

  private final ContainerRuntime runtime;
  private final HttpGetProbe http = new HttpGetProbe();

  public Prober(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Runs {@code spec} against the container {@code containerId} of a pod at {@code podIp}; {@code
   * container} is the container of the pod spec, whose {@code ports[].name} a probe may name.
   */
  public ProbeOutcome probe(ProbeSpec spec, String podIp, String containerId, JsonNode container) {
    container = container == null ? MissingNode.getInstance() : container;
    Duration timeout = Duration.ofSeconds(spec.timeoutSeconds());
    try {
      Handler handler = spec.handler();
      if (handler instanceof Handler.ExecAction exec) {
        return exec(exec, containerId, timeout);
      }
      if (handler instanceof Handler.HttpGetAction get) {
        return httpGet(get, podIp, container, timeout);
      }
      if (handler instanceof Handler.TcpSocketAction tcp) {
        return tcpSocket(tcp, podIp, container, timeout);
      }
      String what = ((Handler.Unsupported) handler).what();
      return ProbeOutcome.failure(
          what.equals("none")
              ? "missing probe handler for " + container.path("name").asText()
              : what + " probes are not supported by this node");
    } catch (RuntimeException e) {
      return ProbeOutcome.failure(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private ProbeOutcome exec(Handler.ExecAction exec, String containerId, Duration timeout) {
    if (exec.command().isEmpty()) {
      return ProbeOutcome.failure("exec probe has no command");
    }
    String command = String.join(" ", exec.command());
    ExecResult result = runtime.exec(containerId, exec.command(), timeout);
    if (result.timedOut()) {
      return ProbeOutcome.failure("command \"" + command + "\" timed out");
    }
    if (result.exitCode() == 0) {
      return ProbeOutcome.success(result.output());
    }
    // Upstream reports the output; with none, the runtime's words say what happened.
    return ProbeOutcome.failure(
        result.output().isBlank()
            ? "command '" + command + "' exited with " + result.exitCode() + ": "
            : result.output());
  }

  private ProbeOutcome httpGet(
      Handler.HttpGetAction get, String podIp, JsonNode container, Duration timeout) {
    String host = hostOrPodIp(get.host(), podIp);
    int port = resolvePort(get.port(), container);
    String path = get.path().startsWith("/") ? get.path() : "/" + get.path();
    String url =
        get.scheme().toLowerCase(Locale.ROOT)
            + "://"
            + (host.contains(":") ? "[" + host + "]" : host)
            + ":"
            + port
            + path;
    try {
      return http.get(new URI(url), get.headers(), timeout);
    } catch (URISyntaxException e) {
      return ProbeOutcome.failure("parse \"" + url + "\": " + e.getMessage());
    }
  }

  private static ProbeOutcome tcpSocket(
      Handler.TcpSocketAction tcp, String podIp, JsonNode container, Duration timeout) {
    String host = hostOrPodIp(tcp.host(), podIp);
    int port = resolvePort(tcp.port(), container);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return ProbeOutcome.success("");
    } catch (IOException e) {
      return ProbeOutcome.failure(DialError.describe(e, host, port));
    }
  }

  private static String hostOrPodIp(String host, String podIp) {
    if (host != null && !host.isEmpty()) {
      return host;
    }
    if (podIp == null || podIp.isEmpty()) {
      throw new IllegalArgumentException("the pod has no IP to probe");
    }
    return podIp;
  }

  /**
   * The port a probe names, as upstream's ResolveContainerPort: a number, or the name of one of the
   * container's ports, or else a number written as a string.
   */
  static int resolvePort(JsonNode port, JsonNode container) {
    int number = port.isIntegralNumber() ? port.asInt() : 0;
    if (port.isTextual()) {
      number = namedPort(port.asText(), container);
    }
    if (number <= 0 || number >= 65536) {
      throw new IllegalArgumentException("invalid port number: " + number);
    }
    return number;
  }

  private static int namedPort(String name, JsonNode container) {
    for (JsonNode declared : container.path("ports")) {
      if (name.equals(declared.path("name").asText())) {
        return declared.path("containerPort").asInt();
      }
    }
    if (name.matches("\\d{1,5}")) {
      return Integer.parseInt(name);
    }
    throw new IllegalArgumentException(
        "couldn't find port: "
            + name
            + " in container \""
            + container.path("name").asText()
            + "\"");
  }
}
