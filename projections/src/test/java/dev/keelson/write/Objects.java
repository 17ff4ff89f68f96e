package dev.keelson.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.ProxyPorts;
import java.util.List;

/** Small objects for tests. */
public final class Objects {

  private Objects() {}

  public static ObjectNode configMap(String namespace, String name, String key, String value) {
    ObjectNode object = Json.object();
    object.put("apiVersion", "v1");
    object.put("kind", "ConfigMap");
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    object.putObject("data").put(key, value);
    return object;
  }

  /**
   * A Service as admission leaves it: {@code clusterIP} (null for none), one TCP port 80 with
   * {@code nodePort} (0 for none), and {@code proxyPort} in the proxy-ports annotation (0 for
   * none).
   */
  public static ObjectNode service(
      String namespace, String name, String clusterIp, int nodePort, int proxyPort) {
    ObjectNode object = Json.object();
    object.put("apiVersion", "v1");
    object.put("kind", "Service");
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    if (proxyPort > 0) {
      metadata
          .putObject("annotations")
          .put(
              ProxyPorts.ANNOTATION,
              ProxyPorts.format(List.of(new ProxyPorts.Entry(80, "TCP", proxyPort))));
    }
    ObjectNode spec = object.putObject("spec");
    spec.put("type", nodePort > 0 ? "NodePort" : "ClusterIP");
    if (clusterIp != null) {
      spec.put("clusterIP", clusterIp);
      spec.putArray("clusterIPs").add(clusterIp);
    }
    ObjectNode port = spec.putArray("ports").addObject().put("port", 80).put("protocol", "TCP");
    if (nodePort > 0) {
      port.put("nodePort", nodePort);
    }
    return object;
  }

  public static ObjectNode pod(String namespace, String name, String nodeName) {
    ObjectNode object = Json.object();
    object.put("apiVersion", "v1");
    object.put("kind", "Pod");
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    metadata.putObject("labels").put("app", "web");
    ObjectNode spec = object.putObject("spec");
    spec.putArray("containers").addObject().put("name", "main").put("image", "busybox");
    if (nodeName != null) {
      spec.put("nodeName", nodeName);
    }
    return object;
  }
}
