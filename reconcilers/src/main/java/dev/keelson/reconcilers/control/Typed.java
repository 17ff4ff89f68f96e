package dev.keelson.reconcilers.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.projection.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Between the projection's JSON and the typed Kubernetes model (fabric8's classes). */
public final class Typed {

  private Typed() {}

  public static <T> T read(StoredObject object, Class<T> type) {
    try {
      return Json.mapper().readValue(object.json(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + object.key() + " as " + type.getSimpleName(), e);
    }
  }

  public static <T> T convert(JsonNode node, Class<T> type) {
    return Json.mapper().convertValue(node, type);
  }

  public static ObjectNode tree(Object typed) {
    return Json.mapper().valueToTree(typed);
  }
}
