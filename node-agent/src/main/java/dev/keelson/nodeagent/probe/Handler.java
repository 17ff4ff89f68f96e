package dev.keelson.nodeagent.probe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** How a probe asks a container whether it is well: one of the probe handlers of the Pod API. */
public sealed interface Handler
    permits Handler.ExecAction,
        Handler.HttpGetAction,
        Handler.TcpSocketAction,
        Handler.Unsupported {

  /** Runs {@code command} in the container; exit code 0 is success. */
  record ExecAction(List<String> command) implements Handler {
    public ExecAction {
      command = List.copyOf(command);
    }
  }

  /**
   * An HTTP GET; a status from 200 to 399 is success.
   *
   * @param scheme {@code HTTP} or {@code HTTPS}
   * @param host the host to connect to, or "" for the pod's IP
   * @param port a number, or the name of one of the container's ports
   * @param path the path and query sent, {@code /} by default
   * @param headers headers sent as given; a {@code Host} header names the virtual host
   */
  record HttpGetAction(
      String scheme, String host, JsonNode port, String path, Map<String, String> headers)
      implements Handler {
    public HttpGetAction {
      headers = Map.copyOf(headers);
    }
  }

  /** Opens a TCP connection; accepted is success. */
  record TcpSocketAction(String host, JsonNode port) implements Handler {}

  /** A handler Keelson does not run ({@code grpc}), or none at all: every probe of it fails. */
  record Unsupported(String what) implements Handler {}
}
