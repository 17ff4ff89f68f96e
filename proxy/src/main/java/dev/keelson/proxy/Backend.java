package dev.keelson.proxy;

/** A ready endpoint of a Service port: where the proxy sends a connection. */
public record Backend(String host, int port) {

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
