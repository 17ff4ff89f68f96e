package dev.keelson.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.EnumSet;

/**
 * The RFC 6902 JSON patch between two versions of an object, by fabric8's zjsonpatch (the library
 * the API server already applies JSON patches with). Only add, remove and replace: a move or copy
 * is correct but tells an auditor less than the value that went and the value that came.
 */
final class ChangePatch {

  private static final EnumSet<DiffFlags> FLAGS =
      EnumSet.of(
          DiffFlags.OMIT_MOVE_OPERATION,
          DiffFlags.OMIT_COPY_OPERATION,
          DiffFlags.ADD_ORIGINAL_VALUE_ON_REPLACE);

  private ChangePatch() {}

  /**
   * The patch from {@code before} to {@code after}, either null for nothing (a create, a delete);
   * neither changes. {@code metadata.resourceVersion} is left out: it is the revision of the
   * version, which the history tells beside.
   */
  static ArrayNode between(ObjectNode before, ObjectNode after) {
    ArrayNode patch = Json.mapper().createArrayNode();
    for (JsonNode operation : JsonDiff.asJson(comparable(before), comparable(after), FLAGS)) {
      // In the order RFC 6902 writes them, the old value last.
      ObjectNode ordered = patch.addObject();
      for (String member : new String[] {"op", "path", "value", "fromValue"}) {
        if (operation.has(member)) {
          ordered.set(member, operation.get(member));
        }
      }
    }
    return patch;
  }

  private static ObjectNode comparable(ObjectNode object) {
    if (object == null) {
      return Json.object();
    }
    ObjectNode copy = object.deepCopy();
    if (copy.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove("resourceVersion");
    }
    return copy;
  }
}
