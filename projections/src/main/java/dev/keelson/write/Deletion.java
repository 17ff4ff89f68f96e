package dev.keelson.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import dev.keelson.api.change.Op;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.StoredObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a delete does to an object, as Kubernetes decides it: finalizers (and the propagation
 * policies that add one) keep the object with a deletionTimestamp until they are gone; a pod bound
 * to a node gets its grace period, and its node agent removes it; a namespace stays Terminating
 * until its own finalizers are cleared; anything else goes at once.
 */
final class Deletion {

  private Deletion() {}

  /** The change a delete makes to {@code base}: a DELETE, an UPDATE, or null for none. */
  static WritePath.Change compose(StoredObject base, DeleteOptions options, Instant time) {
    ObjectNode object = base.object();
    ObjectNode metadata = Meta.metadata(object);
    metadata.remove("resourceVersion");
    if (options.uid() != null && !options.uid().equals(base.uid())) {
      throw new WriteRefusedException(
          Rejection.CONFLICT,
          "Precondition failed: UID in precondition: "
              + options.uid()
              + ", UID in object meta: "
              + base.uid());
    }
    ArrayNode finalizers =
        metadata.get("finalizers") instanceof ArrayNode a ? a : metadata.putArray("finalizers");
    boolean added = false;
    if ("Foreground".equals(options.propagationPolicy())) {
      added = addFinalizer(finalizers, "foregroundDeletion");
    } else if ("Orphan".equals(options.propagationPolicy())) {
      added = addFinalizer(finalizers, "orphan");
    }
    long grace = gracePeriod(object, options);
    boolean graceful = grace > 0;
    boolean namespaceFinalizers = !namespaceFinalizers(object).isEmpty();
    if (finalizers.isEmpty() && !graceful && !namespaceFinalizers) {
      return new WritePath.Change(Op.DELETE, object);
    }
    if (isNamespace(object)) {
      // A namespace that stays is Terminating: emptied (by the namespace controller) before it
      // goes.
      object.with("status").put("phase", "Terminating");
    }
    if (finalizers.isEmpty()) {
      metadata.remove("finalizers");
    }
    boolean deleting = metadata.hasNonNull("deletionTimestamp");
    long currentGrace = metadata.path("deletionGracePeriodSeconds").asLong(0);
    if (deleting && !added && (!graceful || grace >= currentGrace)) {
      return null; // already being deleted, and this request asks nothing new
    }
    Instant now = time.truncatedTo(ChronoUnit.SECONDS);
    metadata.put("deletionTimestamp", now.plusSeconds(grace).toString());
    metadata.put("deletionGracePeriodSeconds", grace);
    if (!deleting && metadata.has("generation")) {
      metadata.put("generation", Meta.generation(object) + 1);
    }
    return new WritePath.Change(Op.UPDATE, object);
  }

  /**
   * How long the object may take to go: only a pod on a node gets a grace period, its own
   * terminationGracePeriodSeconds unless the request names one (and never longer than a period
   * already running).
   */
  private static long gracePeriod(ObjectNode object, DeleteOptions options) {
    boolean podOnNode =
        "Pod".equals(object.path("kind").asText())
            && !object.path("spec").path("nodeName").asText("").isEmpty()
            && !isTerminal(object);
    if (!podOnNode) {
      return 0;
    }
    long grace =
        options.gracePeriodSeconds() != null
            ? options.gracePeriodSeconds()
            : object.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    JsonNode running = Meta.metadata(object).get("deletionGracePeriodSeconds");
    if (running != null && running.asLong() < grace) {
      grace = running.asLong();
    }
    return Math.max(0, grace);
  }

  private static boolean isTerminal(ObjectNode pod) {
    String phase = pod.path("status").path("phase").asText("");
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  /** An update that leaves a deleted object without finalizers and grace removes it. */
  static boolean finishes(ObjectNode after) {
    ObjectNode metadata = Meta.metadata(after);
    return metadata.hasNonNull("deletionTimestamp")
        && metadata.path("finalizers").isEmpty()
        && namespaceFinalizers(after).isEmpty()
        && metadata.path("deletionGracePeriodSeconds").asLong(0) == 0;
  }

  /** A Namespace's own finalizers (spec.finalizers), which keep it until it is empty. */
  private static JsonNode namespaceFinalizers(ObjectNode object) {
    return isNamespace(object) ? object.path("spec").path("finalizers") : MissingNode.getInstance();
  }

  private static boolean isNamespace(ObjectNode object) {
    return "Namespace".equals(object.path("kind").asText())
        && object.path("apiVersion").asText().equals("v1");
  }

  private static boolean addFinalizer(ArrayNode finalizers, String finalizer) {
    for (JsonNode f : finalizers) {
      if (f.asText().equals(finalizer)) {
        return false;
      }
    }
    finalizers.add(finalizer);
    return true;
  }
}
