package dev.keelson.projection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.ResourceKey;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of an object's {@code metadata.ownerReferences}, kept with the stored object so that
 * the owner index, and the reconcilers that follow owners (the garbage collector above all), need
 * not parse the object again.
 */
public record OwnerRef(
    String apiVersion,
    String kind,
    String name,
    String uid,
    boolean controller,
    boolean blockOwnerDeletion) {

  /** The API group of the owner: {@code apps/v1 -> apps}. */
  public String group() {
    return ResourceKey.groupOf(apiVersion);
  }

  /** The owner references of {@code object}, in their order (none: an empty list). */
  public static List<OwnerRef> of(JsonNode object) {
    JsonNode references = object.path("metadata").path("ownerReferences");
    if (!references.isArray() || references.isEmpty()) {
      return List.of();
    }
    List<OwnerRef> owners = new ArrayList<>(references.size());
    for (JsonNode r : references) {
      owners.add(
          new OwnerRef(
              // Few distinct values, held by every owned object: shared.
              r.path("apiVersion").asText("").intern(),
              r.path("kind").asText("").intern(),
              r.path("name").asText(""),
              r.path("uid").asText(""),
              r.path("controller").asBoolean(false),
              r.path("blockOwnerDeletion").asBoolean(false)));
    }
    return List.copyOf(owners);
  }
}
