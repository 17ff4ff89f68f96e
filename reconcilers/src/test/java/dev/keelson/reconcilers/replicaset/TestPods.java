package dev.keelson.reconcilers.replicaset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Instant;

/** Pods as JSON for the tests: a fluent builder over the fields the decisions read. */
final class TestPods {

  private final ObjectNode pod = Json.object();

  private TestPods(String name) {
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    pod.with("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
    pod.with("status").put("phase", "Pending");
  }

  static TestPods pod(String name) {
    return new TestPods(name);
  }

  TestPods node(String node) {
    pod.with("spec").put("nodeName", node);
    return this;
  }

  TestPods phase(String phase) {
    pod.with("status").put("phase", phase);
    return this;
  }

  TestPods ready(Instant since) {
    pod.with("status")
        .withArray("conditions")
        .addObject()
        .put("type", "Ready")
        .put("status", "True")
        .put("lastTransitionTime", since.toString());
    return this;
  }

  TestPods notReady() {
    pod.with("status")
        .withArray("conditions")
        .addObject()
        .put("type", "Ready")
        .put("status", "False");
    return this;
  }

  TestPods created(Instant at) {
    pod.with("metadata").put("creationTimestamp", at.toString());
    return this;
  }

  TestPods restarts(int count) {
    pod.with("status").withArray("containerStatuses").addObject().put("restartCount", count);
    return this;
  }

  TestPods label(String key, String value) {
    pod.with("metadata").with("labels").put(key, value);
    return this;
  }

  TestPods annotation(String key, String value) {
    pod.with("metadata").with("annotations").put(key, value);
    return this;
  }

  TestPods deleting() {
    pod.with("metadata").put("deletionTimestamp", "2026-01-01T00:00:00Z");
    return this;
  }

  TestPods ownedBy(String uid) {
    pod.with("metadata")
        .withArray("ownerReferences")
        .addObject()
        .put("apiVersion", "apps/v1")
        .put("kind", "ReplicaSet")
        .put("name", "rs-" + uid)
        .put("uid", uid)
        .put("controller", true);
    return this;
  }

  ObjectNode build() {
    return pod;
  }
}
