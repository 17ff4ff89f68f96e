package dev.keelson.reconcilers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import java.util.Iterator;
import java.util.Optional;

/** Controller references (the ownerReference with {@code controller: true}) of objects as JSON. */
public final class Owners {

  private Owners() {}

  /** The controller reference of {@code object}, if it has one. */
  public static Optional<JsonNode> controllerOf(JsonNode object) {
    for (JsonNode owner : object.path("metadata").path("ownerReferences")) {
      if (owner.path("controller").asBoolean(false)) {
        return Optional.of(owner);
      }
    }
    return Optional.empty();
  }

  /** The uid of the controller of {@code object}, or "" when it has none. */
  public static String controllerUid(JsonNode object) {
    return controllerOf(object).map(o -> o.path("uid").asText("")).orElse("");
  }

  public static boolean isControlledBy(JsonNode object, String ownerUid) {
    return !ownerUid.isEmpty() && ownerUid.equals(controllerUid(object));
  }

  /** Upstream's NewControllerRef: a reference to {@code owner} as controller, blocking deletion. */
  public static ObjectNode controllerRef(JsonNode owner) {
    ObjectNode ref = Json.object();
    ref.put("apiVersion", owner.path("apiVersion").asText());
    ref.put("kind", owner.path("kind").asText());
    ref.put("name", Meta.name(owner));
    ref.put("uid", Meta.uid(owner));
    ref.put("controller", true);
    ref.put("blockOwnerDeletion", true);
    return ref;
  }

  /** Adds {@code ref} to the object's ownerReferences (replacing one with the same uid). */
  public static void addOwner(ObjectNode object, ObjectNode ref) {
    removeOwner(object, ref.path("uid").asText());
    ObjectNode metadata = Meta.metadata(object);
    ArrayNode owners =
        metadata.get("ownerReferences") instanceof ArrayNode a
            ? a
            : metadata.putArray("ownerReferences");
    owners.add(ref);
  }

  /** Removes the reference to the owner {@code uid}; an empty list goes away. */
  public static void removeOwner(ObjectNode object, String uid) {
    ObjectNode metadata = Meta.metadata(object);
    if (!(metadata.get("ownerReferences") instanceof ArrayNode owners)) {
      return;
    }
    for (Iterator<JsonNode> it = owners.iterator(); it.hasNext(); ) {
      if (uid.equals(it.next().path("uid").asText())) {
        it.remove();
      }
    }
    if (owners.isEmpty()) {
      metadata.remove("ownerReferences");
    }
  }

  public static boolean deleting(JsonNode object) {
    return object.path("metadata").hasNonNull("deletionTimestamp");
  }
}
