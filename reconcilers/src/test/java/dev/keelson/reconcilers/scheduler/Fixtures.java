package dev.keelson.reconcilers.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.Indexed;
import dev.keelson.projection.StoredObject;

/** Pods and nodes for the scheduler's tests, written as the API would store them. */
final class Fixtures {

  private Fixtures() {}

  /** A node with {@code cpu} and {@code memory} allocatable, room for 110 pods, Ready. */
  static ObjectNode nodeJson(String name, String cpu, String memory) {
    return Json.parseObject(
        """
        {"apiVersion": "v1", "kind": "Node",
         "metadata": {"name": "%s", "uid": "uid-%s",
                      "labels": {"kubernetes.io/hostname": "%s"}},
         "spec": {},
         "status": {"allocatable": {"cpu": "%s", "memory": "%s", "pods": "110"},
                    "capacity": {"cpu": "%s", "memory": "%s", "pods": "110"},
                    "conditions": [{"type": "Ready", "status": "True"}]}}
        """
            .formatted(name, name, name, cpu, memory, cpu, memory));
  }

  static NodeInfo node(String name, String cpu, String memory) {
    return new NodeInfo(NodeFacts.parse(nodeJson(name, cpu, memory)));
  }

  static NodeInfo node(ObjectNode json) {
    return new NodeInfo(NodeFacts.parse(json));
  }

  /** A pod in namespace default with one container requesting {@code cpu} and {@code memory}. */
  static ObjectNode podJson(String name, String cpu, String memory) {
    return Json.parseObject(
        """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "%s", "namespace": "default", "uid": "uid-%s"},
         "spec": {"containers": [{"name": "main", "image": "busybox",
                   "resources": {"requests": {"cpu": "%s", "memory": "%s"}}}]},
         "status": {"phase": "Pending"}}
        """
            .formatted(name, name, cpu, memory));
  }

  static PodInfo pod(String name, String cpu, String memory) {
    return PodInfo.parse(podJson(name, cpu, memory), 1);
  }

  static PodInfo pod(ObjectNode json) {
    return PodInfo.parse(json, 1);
  }

  /** Sets {@code spec.<field>} of a pod or node to the JSON {@code value}. */
  static ObjectNode spec(ObjectNode object, String field, String value) {
    object.with("spec").set(field, Json.parseObject("{\"v\": " + value + "}").get("v"));
    return object;
  }

  static ObjectNode labels(ObjectNode object, String labelsJson) {
    Meta.metadata(object).set("labels", Json.parseObject(labelsJson));
    return object;
  }

  /** The object as the projection stores it at {@code revision}. */
  static StoredObject stored(ObjectNode object, long revision) {
    ObjectNode copy = object.deepCopy();
    Meta.metadata(copy).put("resourceVersion", Long.toString(revision));
    return new StoredObject(
        ResourceKey.of(copy),
        revision,
        Json.bytes(copy),
        Meta.uid(copy),
        Meta.labels(copy),
        Indexed.fields(copy),
        dev.keelson.projection.OwnerRef.of(copy));
  }
}
