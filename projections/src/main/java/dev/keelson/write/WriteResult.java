package dev.keelson.write;

import dev.keelson.api.change.Op;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.StoredObject;

/** The answer to a write, as the projection decided it. */
public sealed interface WriteResult {

  /** The change was applied; {@code object} is the state it produced (for a delete, the last). */
  record Accepted(Op op, StoredObject object) implements WriteResult {}

  /**
   * The change was not applied. {@code current} is the object as the projection holds it, when
   * there is one.
   */
  record Rejected(Rejection reason, String message, StoredObject current) implements WriteResult {}
}
