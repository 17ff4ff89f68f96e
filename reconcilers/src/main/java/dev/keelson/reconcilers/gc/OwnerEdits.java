package dev.keelson.reconcilers.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import java.util.Iterator;
import java.util.Set;

/** The changes the garbage collector makes to an object's metadata; each says if it changed any. */
final class OwnerEdits {

  private OwnerEdits() {}

  /** Drops the owner references to the given uids (and the list, once empty). */
  static boolean removeOwners(ObjectNode object, Set<String> uids) {
    ObjectNode metadata = Meta.metadata(object);
    if (!(metadata.get("ownerReferences") instanceof ArrayNode refs)) {
      return false;
    }
    boolean changed = false;
    for (Iterator<JsonNode> it = refs.iterator(); it.hasNext(); ) {
      if (uids.contains(it.next().path("uid").asText())) {
        it.remove();
        changed = true;
      }
    }
    if (refs.isEmpty()) {
      metadata.remove("ownerReferences");
    }
    return changed;
  }

  /** Makes every owner reference non-blocking. */
  static boolean unblockOwners(ObjectNode object) {
    boolean changed = false;
    for (JsonNode ref : Meta.metadata(object).path("ownerReferences")) {
      if (ref.path("blockOwnerDeletion").asBoolean(false) && ref instanceof ObjectNode r) {
        r.put("blockOwnerDeletion", false);
        changed = true;
      }
    }
    return changed;
  }

  /** Drops {@code finalizer} (and the list, once empty). */
  static boolean removeFinalizer(ObjectNode object, String finalizer) {
    ObjectNode metadata = Meta.metadata(object);
    if (!(metadata.get("finalizers") instanceof ArrayNode finalizers)) {
      return false;
    }
    boolean changed = false;
    for (Iterator<JsonNode> it = finalizers.iterator(); it.hasNext(); ) {
      if (it.next().asText().equals(finalizer)) {
        it.remove();
        changed = true;
      }
    }
    if (finalizers.isEmpty()) {
      metadata.remove("finalizers");
    }
    return changed;
  }
}
