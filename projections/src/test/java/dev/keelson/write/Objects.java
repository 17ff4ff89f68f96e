package dev.keelson.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;

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
