package dev.keelson.apiserver.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import java.util.Objects;

/** Applies a PATCH request's body to the stored object, as kube-apiserver's patch handler does. */
public final class Patches {

  private Patches() {}

  /**
   * The object {@code patchBody} makes of {@code original}: a new node, {@code original} is never
   * changed. The kind chooses the strategic merge patch metadata (which lists merge, by which key);
   * the other patch types ignore it.
   *
   * @throws PatchException with the category and message the client should get: 400 for a body that
   *     is not a patch of its type, 413 for a JSON patch of more than 10000 operations, 415 for
   *     {@link PatchType#APPLY_PATCH} (server-side apply is not offered), 422 for a JSON patch
   *     operation that does not apply (a failed {@code test}, a missing path) and for a patch whose
   *     result is not an object
   */
  public static ObjectNode apply(
      PatchType type, GroupKind kind, ObjectNode original, byte[] patchBody) throws PatchException {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(original, "original");
    return switch (type) {
      case JSON_PATCH -> JsonPatch.apply(original, patchBody);
      case MERGE_PATCH -> MergePatch.apply(original, patchBody);
      case STRATEGIC_MERGE_PATCH ->
          StrategicMergePatch.apply(original, patchBody, BuiltInPatchSchemas.forKind(kind));
      case APPLY_PATCH -> throw PatchException.unsupportedMediaType();
    };
  }
}
