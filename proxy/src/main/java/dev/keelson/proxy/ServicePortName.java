package dev.keelson.proxy;

/**
 * One port of one Service, as upstream's kube-proxy names it: {@code namespace/name:port}, where
 * port is the port's name (empty for a Service's single unnamed port).
 */
public record ServicePortName(String namespace, String name, String port) {

  @Override
  public String toString() {
    return namespace + "/" + name + (port.isEmpty() ? "" : ":" + port);
  }
}
