package dev.keelson.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.EnumSet;

/**
 * JSON patch, RFC 6902, applied by fabric8's zjsonpatch and answered as upstream's patch handler
 * answers: 400 for a body that is not a list of operations, 413 past 10000 operations, 422 for an
 * operation that does not apply.
 */
final class JsonPatch {

  /** Upstream's {@code maxJSONPatchOperations}. */
  static final int MAX_OPERATIONS = 10000;

  /** As evanphx/json-patch, which upstream uses: removing a missing member is an error. */
  private static final EnumSet<CompatibilityFlags> FLAGS =
      EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

  private JsonPatch() {}

  static ObjectNode apply(ObjectNode original, byte[] body) throws PatchException {
    JsonNode patch = PatchBody.read(body);
    if (patch.isNull()) {
      return original.deepCopy(); // Go decodes null into an empty patch
    }
    if (!patch.isArray()) {
      throw PatchException.badRequest(
          "json: cannot unmarshal "
              + GoText.kind(patch)
              + " into Go value of type jsonpatch.Patch");
    }
    for (JsonNode operation : patch) {
      if (!operation.isObject() && !operation.isNull()) {
        throw PatchException.badRequest(
            "json: cannot unmarshal "
                + GoText.kind(operation)
                + " into Go value of type jsonpatch.Operation");
      }
    }
    if (patch.size() > MAX_OPERATIONS) {
      throw new PatchException(
          PatchException.Category.REQUEST_ENTITY_TOO_LARGE,
          "The allowed maximum operations in a JSON patch is "
              + MAX_OPERATIONS
              + ", got "
              + patch.size(),
          null);
    }
    JsonNode result;
    try {
      // zjsonpatch works on a deep copy of the source, so the original stays as it was.
      result = io.fabric8.zjsonpatch.JsonPatch.apply(patch, original, FLAGS);
    } catch (JsonPatchException e) {
      throw PatchException.unprocessable(e.toString());
    } catch (RuntimeException e) {
      // A pointer zjsonpatch cannot parse or index: an operation that does not apply.
      throw PatchException.unprocessable(String.valueOf(e.getMessage()));
    }
    if (!(result instanceof ObjectNode patched)) {
      throw PatchException.unprocessable("the patched document is not a JSON object");
    }
    return patched;
  }
}
