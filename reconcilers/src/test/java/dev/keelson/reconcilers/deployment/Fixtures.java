package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Instant;
import java.util.Map;

/** Deployments and ReplicaSets for the tests, as upstream's tests build them. */
final class Fixtures {

  static final Instant NEWER = Instant.parse("2016-05-20T02:00:00Z");
  static final Instant OLD = Instant.parse("2016-05-20T01:00:00Z");
  static final Instant OLDER = Instant.parse("2016-05-20T00:00:00Z");

  private Fixtures() {}

  /** Upstream's newDeployment: RollingUpdate with maxSurge and maxUnavailable 0 unless given. */
  static DeploymentView deployment(int replicas, Object maxSurge, Object maxUnavailable) {
    ObjectNode d = Json.object();
    d.put("apiVersion", "apps/v1").put("kind", "Deployment");
    d.with("metadata")
        .put("name", "foo")
        .put("namespace", "default")
        .put("uid", "d-uid")
        .put("generation", 1);
    ObjectNode rolling =
        d.with("spec")
            .put("replicas", replicas)
            .with("strategy")
            .put("type", "RollingUpdate")
            .with("rollingUpdate");
    put(rolling, "maxSurge", maxSurge == null ? 0 : maxSurge);
    put(rolling, "maxUnavailable", maxUnavailable == null ? 0 : maxUnavailable);
    d.with("spec").put("progressDeadlineSeconds", 600).put("revisionHistoryLimit", 10);
    return DeploymentView.of(d);
  }

  static DeploymentView recreate(int replicas) {
    ObjectNode d = Json.object();
    d.with("metadata").put("name", "foo").put("uid", "d-uid").put("generation", 1);
    d.with("spec").put("replicas", replicas).with("strategy").put("type", "Recreate");
    return DeploymentView.of(d);
  }

  private static void put(ObjectNode node, String field, Object value) {
    if (value instanceof Integer i) {
      node.put(field, i);
    } else {
      node.put(field, value.toString());
    }
  }

  /** Upstream's rs(name, replicas, selector, timestamp), with status counts. */
  static ReplicaSetView rs(String name, int replicas, Instant created) {
    return rs(name, replicas, created, 0, Map.of());
  }

  static ReplicaSetView rs(
      String name, int replicas, Instant created, int available, Map<String, String> annotations) {
    return new ReplicaSetView(
        name,
        "uid-" + name,
        created,
        replicas,
        replicas,
        available,
        available,
        0,
        1,
        1,
        false,
        Map.copyOf(annotations),
        Json.object(),
        null);
  }

  /** The desired-replicas and max-replicas a ReplicaSet got when the deployment was that size. */
  static Map<String, String> sizedFor(int desired, int maxSurge) {
    return Map.of(
        ReplicaSetView.DESIRED_REPLICAS,
        Integer.toString(desired),
        ReplicaSetView.MAX_REPLICAS,
        Integer.toString(desired + maxSurge));
  }
}
