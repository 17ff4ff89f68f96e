package dev.keelson.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.util.Iterator;
import java.util.Map;

/** JSON merge patch, RFC 7386: objects merge recursively, null removes, anything else replaces. */
final class MergePatch {

  /** evanphx/json-patch's error for a body that is not a JSON object, which upstream returns. */
  static final String INVALID = "Invalid JSON Patch";

  private MergePatch() {}

  static ObjectNode apply(ObjectNode original, byte[] body) throws PatchException {
    JsonNode patch;
    try {
      patch = PatchBody.read(body);
    } catch (PatchException malformed) {
      throw new PatchException(
          PatchException.Category.BAD_REQUEST, INVALID, malformed.getMessage());
    }
    if (!patch.isObject()) {
      throw new PatchException(
          PatchException.Category.BAD_REQUEST, INVALID, "a merge patch must be a JSON object");
    }
    return mergeInto(original.deepCopy(), (ObjectNode) patch);
  }

  /** Merges {@code patch} into {@code target}, which the caller owns, and returns it. */
  private static ObjectNode mergeInto(ObjectNode target, ObjectNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(name);
      } else if (value.isObject()) {
        JsonNode current = target.get(name);
        // RFC 7386: an object patch over a non-object starts from an empty object.
        ObjectNode base = current instanceof ObjectNode o ? o : Json.object();
        target.set(name, mergeInto(base, (ObjectNode) value));
      } else {
        target.set(name, value.deepCopy());
      }
    }
    return target;
  }
}
