package dev.keelson.reconcilers.gc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.keelson.api.Json;
import dev.keelson.projection.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an object is being deleted, and its finalizers: all the garbage collector needs of an
 * object besides its owner references. Read by streaming the object's metadata alone, since the
 * collector looks at every change of every object and most of them (a pod's status, say) are
 * nothing to it.
 */
record DeletionState(boolean deleting, List<String> finalizers) {

  static final String ORPHAN = "orphan";
  static final String FOREGROUND = "foregroundDeletion";

  static final DeletionState LIVE = new DeletionState(false, List.of());

  boolean has(String finalizer) {
    return finalizers.contains(finalizer);
  }

  /** Being deleted in the foreground: it waits for its blocking dependents to go first. */
  boolean deletingDependents() {
    return deleting && has(FOREGROUND);
  }

  static DeletionState of(StoredObject object) {
    try (JsonParser parser = Json.mapper().getFactory().createParser(object.json())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return LIVE;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (field.equals("metadata") && parser.currentToken() == JsonToken.START_OBJECT) {
          return metadata(parser);
        }
        parser.skipChildren();
      }
      return LIVE;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the metadata of " + object.key(), e);
    }
  }

  private static DeletionState metadata(JsonParser parser) throws IOException {
    boolean deleting = false;
    List<String> finalizers = List.of();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("deletionTimestamp")) {
        deleting = value != JsonToken.VALUE_NULL;
      } else if (field.equals("finalizers") && value == JsonToken.START_ARRAY) {
        List<String> list = new ArrayList<>(2);
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(parser.getValueAsString(""));
          parser.skipChildren();
        }
        finalizers = List.copyOf(list);
      } else {
        parser.skipChildren();
      }
    }
    return deleting || !finalizers.isEmpty() ? new DeletionState(deleting, finalizers) : LIVE;
  }
}
