package dev.keelson.examples.deploymentimages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.UUID;

/** API objects as Keelson's write path stores them (uid, creationTimestamp, generation). */
final class ApiObjects {

  static final ObjectMapper JSON = new ObjectMapper();

  private ApiObjects() {}

  static ObjectNode deployment(String namespace, String name, String image, int replicas) {
    return parse(
        """
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "%s", "namespace": "%s", "uid": "%s",
                      "creationTimestamp": "2026-11-23T10:15:30Z", "generation": 1,
                      "labels": {"app": "%s"}},
         "spec": {"replicas": %d, "selector": {"matchLabels": {"app": "%s"}},
                  "template": {"metadata": {"labels": {"app": "%s"}},
                               "spec": {"containers": [{"name": "main", "image": "%s"}]}}}}
        """
            .formatted(name, namespace, UUID.randomUUID(), name, replicas, name, name, image));
  }

  static ObjectNode deployment(String namespace, String name, String image) {
    return deployment(namespace, name, image, 2);
  }

  /** A pod of the same image: another kind, which the view must not count. */
  static ObjectNode pod(String namespace, String name, String image) {
    return parse(
        """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "%s", "namespace": "%s", "uid": "%s",
                      "creationTimestamp": "2026-11-23T10:15:30Z"},
         "spec": {"containers": [{"name": "main", "image": "%s"}]}}
        """
            .formatted(name, namespace, UUID.randomUUID(), image));
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
