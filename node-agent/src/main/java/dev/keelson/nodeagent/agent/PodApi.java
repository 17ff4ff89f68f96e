package dev.keelson.nodeagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a pod worker writes back through the API: the pod's status, and its final removal. */
public interface PodApi {

  /** Replaces the status of the pod (a merge patch of the status subresource). */
  void writeStatus(String namespace, String name, ObjectNode status);

  /** Sets one annotation of the pod (a merge patch of its metadata). */
  void annotate(String namespace, String name, String key, String value);

  /** Removes the pod object once its containers are gone (a delete with no grace left). */
  void remove(String namespace, String name, String uid);

  /**
   * Records a core/v1 Event about the pod, as the kubelet does (Created, Started, Killing,
   * BackOff...). Best effort: an event that cannot be written is dropped, never retried.
   */
  default void event(JsonNode pod, String type, String reason, String message) {}
}
