package dev.keelson.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.api.change.Op;
import dev.keelson.projection.Rejection;
import java.time.Instant;
import java.util.List;

/**
 * One record of the change log as history tells it: who asked for which change of which object,
 * when, what the fold decided, and what the change did to the object.
 *
 * @param actor who asked, or null for a record that names no one
 * @param rejection why the fold rejected it; null when it applied
 * @param message the fold's message for a rejected record, else null
 * @param uid the uid of the object the record carries (for a delete, the object deleted)
 * @param patch RFC 6902 JSON patch from the object's previous applied version to the one this
 *     record carries: from nothing (an empty object) for a create, to nothing for a delete.
 *     Replaced values carry their old value as {@code fromValue}, removed ones as {@code value}
 *     (members RFC 6902 ignores); {@code metadata.resourceVersion}, the revision itself, is left
 *     out.
 */
public record HistoryEntry(
    long revision,
    Instant time,
    Actor actor,
    String requestId,
    Op op,
    Rejection rejection,
    String message,
    ResourceKey key,
    String uid,
    ArrayNode patch) {

  public boolean applied() {
    return rejection == null;
  }

  /**
   * One page of a history, oldest first.
   *
   * @param continueFrom the revision the next page starts at; 0 when this is the last
   */
  public record Page(List<HistoryEntry> entries, long continueFrom) {

    public Page {
      entries = List.copyOf(entries);
    }
  }
}
