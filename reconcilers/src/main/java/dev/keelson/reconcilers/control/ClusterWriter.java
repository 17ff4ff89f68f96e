package dev.keelson.reconcilers.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.projection.Projection;
import dev.keelson.projection.Rejection;
import dev.keelson.write.AdmissionPolicy;
import dev.keelson.write.DeleteOptions;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteRefusedException;
import dev.keelson.write.WriteResult;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * How a reconciler writes: through the same write path and admission as the API, as its own
 * identity (so the log says which reconciler made each change).
 */
public final class ClusterWriter {

  private final WritePath writes;
  private final AdmissionPolicy admission;
  private final Actor actor;
  private final Clock clock;

  public ClusterWriter(WritePath writes, AdmissionPolicy admission, Actor actor, Clock clock) {
    this.writes = writes;
    this.admission = admission;
    this.actor = actor;
    this.clock = clock;
  }

  /** The same writer as another identity. */
  public ClusterWriter as(Actor other) {
    return new ClusterWriter(writes, admission, other, clock);
  }

  /** The same writer with another admission policy (for a reconciler that adapts its kind's). */
  public ClusterWriter with(AdmissionPolicy other) {
    return new ClusterWriter(writes, other, actor, clock);
  }

  public AdmissionPolicy admission() {
    return admission;
  }

  public Actor actor() {
    return actor;
  }

  public Projection projection() {
    return writes.projection();
  }

  public Clock clock() {
    return clock;
  }

  /** Now, in the form Kubernetes timestamps take (RFC 3339, whole seconds). */
  public String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Creates the object; a name is generated from metadata.generateName when none is given. */
  public CompletableFuture<WriteResult> create(ObjectNode object) {
    GroupKind kind =
        new GroupKind(
            ResourceKey.groupOf(object.path("apiVersion").asText("")),
            object.path("kind").asText(""));
    return writes.create(object, context(), admission.create(kind));
  }

  /** Replaces all but the status; at the object's resourceVersion when it carries one. */
  public CompletableFuture<WriteResult> update(ObjectNode object) {
    return writes.update(object, context(), admission.update(ResourceKey.of(object).groupKind()));
  }

  /** Replaces the status; at the object's resourceVersion when it carries one. */
  public CompletableFuture<WriteResult> updateStatus(ObjectNode object) {
    return writes.updateStatus(
        object, context(), admission.status(ResourceKey.of(object).groupKind()));
  }

  /**
   * Changes the current object with {@code change}, retried on a fresh version when it loses a race
   * ({@code resourceVersion} null) or refused with a conflict (given).
   */
  public CompletableFuture<WriteResult> modify(
      ResourceKey key,
      String resourceVersion,
      WritePath.Part part,
      UnaryOperator<ObjectNode> change) {
    return writes.modify(
        key,
        resourceVersion,
        part,
        context(),
        change,
        part == WritePath.Part.STATUS
            ? admission.status(key.groupKind())
            : admission.update(key.groupKind()));
  }

  public CompletableFuture<WriteResult> delete(ResourceKey key, DeleteOptions options) {
    return writes.delete(key, options, context());
  }

  /** Deletes the object if it still has {@code uid} (a newer namesake is left alone). */
  public CompletableFuture<WriteResult> delete(ResourceKey key, String uid) {
    return writes.delete(key, new DeleteOptions(null, null, uid, null), context());
  }

  /**
   * Takes {@code finalizer} out of a namespace's spec.finalizers, as PUT namespaces/NAME/finalize
   * does (an update of the namespace keeps them as they are); a namespace being deleted goes with
   * its last finalizer.
   */
  public CompletableFuture<WriteResult> finalizeNamespace(String namespace, String finalizer) {
    return writes.modify(
        ResourceKey.of("", "Namespace", "", namespace),
        null,
        WritePath.Part.MAIN,
        context(),
        object -> {
          ObjectNode spec = object.with("spec");
          ArrayNode kept = spec.arrayNode();
          for (JsonNode f : spec.path("finalizers")) {
            if (!finalizer.equals(f.asText())) {
              kept.add(f);
            }
          }
          if (kept.isEmpty()) {
            spec.remove("finalizers");
          } else {
            spec.set("finalizers", kept);
          }
          Meta.metadata(object).remove("resourceVersion");
          return object;
        },
        dev.keelson.write.Admission.NONE);
  }

  /**
   * Assigns a pod to a node, as pods/binding does: once, never to a pod being deleted, with the
   * PodScheduled condition set.
   */
  public CompletableFuture<WriteResult> bind(ResourceKey pod, String uid, String node) {
    String time = now();
    return writes.modify(
        pod,
        null,
        WritePath.Part.ALL,
        context(),
        object -> {
          if (uid != null && !uid.equals(Meta.uid(object))) {
            throw new WriteRefusedException(
                Rejection.CONFLICT, "pod " + pod.name() + " was replaced before it was bound");
          }
          String bound = object.path("spec").path("nodeName").asText("");
          if (!bound.isEmpty()) {
            throw new WriteRefusedException(
                Rejection.CONFLICT,
                "pod " + pod.name() + " is already assigned to node \"" + bound + "\"");
          }
          if (object.path("metadata").hasNonNull("deletionTimestamp")) {
            throw new WriteRefusedException(
                Rejection.CONFLICT,
                "pod " + pod.name() + " is being deleted, cannot be assigned to a host");
          }
          object.with("spec").put("nodeName", node);
          setCondition(object, "PodScheduled", "True", null, null, time);
          Meta.metadata(object).remove("resourceVersion");
          return object;
        },
        dev.keelson.write.Admission.NONE);
  }

  /**
   * Sets one condition in {@code status.conditions} (replacing one of the same type), keeping its
   * lastTransitionTime when the status does not change. Returns whether anything changed.
   */
  public static boolean setCondition(
      ObjectNode object, String type, String status, String reason, String message, String time) {
    ObjectNode statusNode = object.with("status");
    ArrayNode conditions =
        statusNode.get("conditions") instanceof ArrayNode a ? a : statusNode.putArray("conditions");
    String transition = time;
    for (Iterator<JsonNode> it = conditions.iterator(); it.hasNext(); ) {
      JsonNode c = it.next();
      if (type.equals(c.path("type").asText())) {
        if (status.equals(c.path("status").asText())
            && java.util.Objects.equals(reason, c.path("reason").asText(null))
            && java.util.Objects.equals(message, c.path("message").asText(null))) {
          return false;
        }
        if (status.equals(c.path("status").asText())) {
          transition = c.path("lastTransitionTime").asText(time);
        }
        it.remove();
      }
    }
    ObjectNode condition = conditions.addObject();
    condition.put("type", type);
    condition.put("status", status);
    condition.putNull("lastProbeTime");
    condition.put("lastTransitionTime", transition);
    if (reason != null) {
      condition.put("reason", reason);
    }
    if (message != null) {
      condition.put("message", message);
    }
    return true;
  }

  private WriteContext context() {
    return WriteContext.of(actor);
  }
}
