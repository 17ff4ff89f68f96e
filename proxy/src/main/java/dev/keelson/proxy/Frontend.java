package dev.keelson.proxy;

/**
 * An address the proxy listens on for a Service port.
 *
 * @param kind what makes the proxy listen there
 */
public record Frontend(String host, int port, Kind kind) {

  /** Why the proxy listens on an address. */
  public enum Kind {
    /** The Service's cluster IP and port: for clients on the host. */
    CLUSTER_IP,
    /** The node's address and the port's nodePort. */
    NODE_PORT,
    /**
     * The pods' gateway and the port's proxy port ({@code keelson.dev/proxy-ports}): where the node
     * agent's rules send the pods' connections to the cluster IP.
     */
    POD_GATEWAY
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
