package dev.keelson.nodeagent.probe;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A failed connection told in the words of Go's dialer ("dial tcp 10.0.0.5:8080: connect:
 * connection refused"), the words the kubelet's probe messages carry and people search for.
 */
final class DialError {

  private DialError() {}

  static String describe(Exception failure, String host, int port) {
    String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    if (failure instanceof UnknownHostException) {
      return "dial tcp: lookup " + host + ": no such host";
    }
    if (failure instanceof SocketTimeoutException) {
      return "dial tcp " + address + ": i/o timeout";
    }
    if (failure instanceof ConnectException || failure instanceof NoRouteToHostException) {
      return "dial tcp " + address + ": connect: " + lowerCase(failure.getMessage());
    }
    return "dial tcp " + address + ": " + lowerCase(failure.getMessage());
  }

  /** Java's "Connection refused" as Go's "connection refused"; the JDK may add " (...)". */
  private static String lowerCase(String message) {
    if (message == null) {
      return "failed";
    }
    int detail = message.indexOf(" (");
    return (detail > 0 ? message.substring(0, detail) : message).toLowerCase(Locale.ROOT);
  }
}
