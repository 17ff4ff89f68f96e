package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.reconcilers.replicaset.PodStates;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A deployment's status from its ReplicaSets: upstream's calculateStatus (counts and the Available
 * condition), and syncRolloutStatus's Progressing condition, which tells whether a rollout
 * progresses, completed, or exceeded its progressDeadlineSeconds.
 */
public final class DeploymentStatus {

  private DeploymentStatus() {}

  /** Upstream's calculateStatus. {@code newRS} may be null. */
  public static ObjectNode calculate(
      DeploymentView d,
      JsonNode current,
      List<ReplicaSetView> all,
      ReplicaSetView newRS,
      Instant now) {
    int available = RolloutMath.availableReplicas(all);
    int unavailable = Math.max(0, RolloutMath.specReplicas(all) - available);
    ObjectNode status = Json.object();
    putCount(status, "observedGeneration", d.generation());
    putCount(status, "replicas", RolloutMath.statusReplicas(all));
    putCount(status, "updatedReplicas", newRS == null ? 0 : newRS.statusReplicas());
    putCount(status, "readyReplicas", RolloutMath.readyReplicas(all));
    putCount(status, "availableReplicas", available);
    putCount(status, "unavailableReplicas", unavailable);
    if (current.has("collisionCount")) {
      status.set("collisionCount", current.get("collisionCount"));
    }
    if (current.path("conditions").isArray() && !current.path("conditions").isEmpty()) {
      status.set("conditions", current.get("conditions").deepCopy());
    }
    String time = time(now);
    if (available >= d.replicas() - d.maxUnavailableCount()) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.condition(
              DeploymentConditions.AVAILABLE,
              "True",
              DeploymentConditions.MIN_AVAILABLE,
              "Deployment has minimum availability.",
              time));
    } else {
      DeploymentConditions.set(
          status,
          DeploymentConditions.condition(
              DeploymentConditions.AVAILABLE,
              "False",
              DeploymentConditions.MIN_UNAVAILABLE,
              "Deployment does not have minimum availability.",
              time));
    }
    return status;
  }

  /** Upstream's syncRolloutStatus: {@link #calculate} and the rollout's progress. */
  public static ObjectNode rollout(
      DeploymentView d,
      JsonNode current,
      List<ReplicaSetView> all,
      ReplicaSetView newRS,
      Instant now) {
    ObjectNode status = calculate(d, current, all, newRS, now);
    boolean deadline = d.progressDeadlineSeconds() != null;
    if (!deadline) {
      DeploymentConditions.remove(status, DeploymentConditions.PROGRESSING);
    }
    JsonNode currentCond = DeploymentConditions.get(current, DeploymentConditions.PROGRESSING);
    boolean completeBefore =
        status.path("replicas").asInt(0) == status.path("updatedReplicas").asInt(0)
            && currentCond != null
            && DeploymentConditions.NEW_RS_AVAILABLE.equals(currentCond.path("reason").asText());
    String time = time(now);
    String subject =
        newRS != null ? "ReplicaSet \"" + newRS.name() + "\"" : "Deployment \"" + d.name() + "\"";
    if (deadline && !completeBefore) {
      if (complete(d, status)) {
        DeploymentConditions.set(
            status,
            DeploymentConditions.condition(
                DeploymentConditions.PROGRESSING,
                "True",
                DeploymentConditions.NEW_RS_AVAILABLE,
                subject + " has successfully progressed.",
                time));
      } else if (progressing(current, status)) {
        ObjectNode condition =
            DeploymentConditions.condition(
                DeploymentConditions.PROGRESSING,
                "True",
                DeploymentConditions.RS_UPDATED,
                subject + " is progressing.",
                time);
        // Progress refreshes lastUpdateTime even when the reason stays (unlike set()).
        if (currentCond != null) {
          if ("True".equals(currentCond.path("status").asText())) {
            condition.set("lastTransitionTime", currentCond.path("lastTransitionTime"));
          }
          DeploymentConditions.remove(status, DeploymentConditions.PROGRESSING);
        }
        DeploymentConditions.set(status, condition);
      } else if (timedOut(d, status, now)) {
        DeploymentConditions.set(
            status,
            DeploymentConditions.condition(
                DeploymentConditions.PROGRESSING,
                "False",
                DeploymentConditions.TIMED_OUT,
                subject + " has timed out progressing.",
                time));
      }
    }
    JsonNode failure = replicaFailure(all, newRS);
    if (failure != null) {
      ObjectNode c = Json.object();
      c.put("type", DeploymentConditions.REPLICA_FAILURE);
      c.set("status", failure.path("status"));
      c.set("lastUpdateTime", failure.path("lastTransitionTime"));
      c.set("lastTransitionTime", failure.path("lastTransitionTime"));
      c.set("reason", failure.path("reason"));
      c.set("message", failure.path("message"));
      DeploymentConditions.set(status, c);
    } else {
      DeploymentConditions.remove(status, DeploymentConditions.REPLICA_FAILURE);
    }
    return status;
  }

  /** Upstream's DeploymentComplete over a status. */
  public static boolean complete(DeploymentView d, JsonNode status) {
    return RolloutMath.complete(
        d,
        status.path("updatedReplicas").asInt(0),
        status.path("replicas").asInt(0),
        status.path("availableReplicas").asInt(0),
        status.path("observedGeneration").asLong(0));
  }

  /** Upstream's DeploymentProgressing: more new, fewer old, more ready or more available pods. */
  static boolean progressing(JsonNode before, JsonNode after) {
    int oldOld = before.path("replicas").asInt(0) - before.path("updatedReplicas").asInt(0);
    int newOld = after.path("replicas").asInt(0) - after.path("updatedReplicas").asInt(0);
    return after.path("updatedReplicas").asInt(0) > before.path("updatedReplicas").asInt(0)
        || newOld < oldOld
        || after.path("readyReplicas").asInt(0) > before.path("readyReplicas").asInt(0)
        || after.path("availableReplicas").asInt(0) > before.path("availableReplicas").asInt(0);
  }

  /** Upstream's DeploymentTimedOut: no progress for progressDeadlineSeconds since the last. */
  static boolean timedOut(DeploymentView d, JsonNode status, Instant now) {
    if (d.progressDeadlineSeconds() == null) {
      return false;
    }
    JsonNode c = DeploymentConditions.get(status, DeploymentConditions.PROGRESSING);
    if (c == null) {
      return false;
    }
    String reason = c.path("reason").asText("");
    if (DeploymentConditions.NEW_RS_AVAILABLE.equals(reason)) {
      return false;
    }
    if (DeploymentConditions.TIMED_OUT.equals(reason)) {
      return true;
    }
    Instant from = PodStates.time(c.path("lastUpdateTime").asText(""));
    return from != null && from.plusSeconds(d.progressDeadlineSeconds()).isBefore(now);
  }

  /**
   * Upstream's requeueStuckDeployment: when a rollout shows no progress, when to look again to see
   * whether it exceeded its deadline (a second after it would); empty when no look is needed.
   */
  public static Optional<Duration> recheckAfter(
      DeploymentView d, JsonNode current, JsonNode status, Instant now) {
    JsonNode c = DeploymentConditions.get(current, DeploymentConditions.PROGRESSING);
    if (d.progressDeadlineSeconds() == null || c == null) {
      return Optional.empty();
    }
    if (complete(d, status) || DeploymentConditions.TIMED_OUT.equals(c.path("reason").asText(""))) {
      return Optional.empty();
    }
    Instant from = PodStates.time(c.path("lastUpdateTime").asText(""));
    if (from == null) {
      return Optional.empty();
    }
    Duration after = Duration.between(now, from.plusSeconds(d.progressDeadlineSeconds()));
    if (after.compareTo(Duration.ofSeconds(1)) < 0) {
      return Optional.of(Duration.ofSeconds(1));
    }
    return Optional.of(after.plusSeconds(1));
  }

  /** The ReplicaFailure of the new ReplicaSet, else of any other. */
  private static JsonNode replicaFailure(List<ReplicaSetView> all, ReplicaSetView newRS) {
    if (newRS != null && newRS.failure() != null) {
      return newRS.failure();
    }
    List<ReplicaSetView> sets = new ArrayList<>(all);
    for (ReplicaSetView rs : sets) {
      if (rs != null && rs.failure() != null) {
        return rs.failure();
      }
    }
    return null;
  }

  static String time(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Upstream's omitempty: zero counts are left out. */
  private static void putCount(ObjectNode status, String field, long value) {
    if (value != 0) {
      status.put(field, value);
    }
  }
}
