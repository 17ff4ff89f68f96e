package dev.keelson.projection;

import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Op;
import java.util.List;

/**
 * One record of the change log as the history index knows it, without reading it: its revision, its
 * object's key, its op and the fold's verdict.
 *
 * @param rejection null when the record was applied
 * @param message the fold's message for a rejected record, else null
 * @param previousRevision the revision of the record that holds the object's version before this
 *     record (the last applied one of the same key, unless that was a delete); 0 when none
 */
public record IndexedChange(
    long revision,
    ResourceKey key,
    Op op,
    Rejection rejection,
    String message,
    long previousRevision) {

  public boolean applied() {
    return rejection == null;
  }

  /**
   * One page of a history query.
   *
   * @param continueFrom the revision of the next matching record after this page, 0 when none
   */
  public record Page(List<IndexedChange> changes, long continueFrom) {

    public Page {
      changes = List.copyOf(changes);
    }
  }
}
