package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Meta;
import dev.keelson.reconcilers.replicaset.Owners;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Deployment's spec as the rollout decisions use it.
 *
 * @param progressDeadlineSeconds null when the deployment has no deadline (unset or MaxInt32)
 * @param revisionHistoryLimit null when every old ReplicaSet is kept (unset or MaxInt32)
 * @param statusReplicas status.replicas, the fallback size when a ReplicaSet has no max-replicas
 */
public record DeploymentView(
    String name,
    String uid,
    long generation,
    int replicas,
    boolean rollingUpdate,
    IntOrPercent maxSurge,
    IntOrPercent maxUnavailable,
    boolean paused,
    Integer progressDeadlineSeconds,
    Integer revisionHistoryLimit,
    int minReadySeconds,
    int statusReplicas,
    boolean deleting,
    Map<String, String> annotations) {

  public static DeploymentView of(JsonNode d) {
    JsonNode spec = d.path("spec");
    JsonNode strategy = spec.path("strategy");
    boolean rolling = !"Recreate".equals(strategy.path("type").asText("RollingUpdate"));
    JsonNode rollingUpdate = strategy.path("rollingUpdate");
    Map<String, String> annotations = new LinkedHashMap<>();
    d.path("metadata")
        .path("annotations")
        .fields()
        .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    return new DeploymentView(
        Meta.name(d),
        Meta.uid(d),
        Meta.generation(d),
        spec.path("replicas").asInt(1),
        rolling,
        IntOrPercent.parse(rollingUpdate.get("maxSurge"), IntOrPercent.of(0)),
        IntOrPercent.parse(rollingUpdate.get("maxUnavailable"), IntOrPercent.of(0)),
        spec.path("paused").asBoolean(false),
        limit(spec.get("progressDeadlineSeconds")),
        limit(spec.get("revisionHistoryLimit")),
        spec.path("minReadySeconds").asInt(0),
        d.path("status").path("replicas").asInt(0),
        Owners.deleting(d),
        Map.copyOf(annotations));
  }

  /** Upstream treats MaxInt32 as "no limit" for the deadline and the history limit. */
  private static Integer limit(JsonNode node) {
    if (node == null || !node.canConvertToInt() || node.asInt() == Integer.MAX_VALUE) {
      return null;
    }
    return node.asInt();
  }

  /** Upstream's MaxSurge: 0 unless rolling. */
  public int maxSurgeCount() {
    return rollingUpdate ? RolloutMath.resolveFenceposts(maxSurge, maxUnavailable, replicas)[0] : 0;
  }

  /** Upstream's MaxUnavailable: 0 unless rolling (or scaled to 0), at most the replicas. */
  public int maxUnavailableCount() {
    if (!rollingUpdate || replicas == 0) {
      return 0;
    }
    int unavailable = RolloutMath.resolveFenceposts(maxSurge, maxUnavailable, replicas)[1];
    return Math.min(unavailable, replicas);
  }
}
