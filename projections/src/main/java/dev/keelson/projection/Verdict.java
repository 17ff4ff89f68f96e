package dev.keelson.projection;

import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.api.change.Op;

/**
 * What a projection decided for one record of the change log. Every replica reaches the same
 * verdict for the same record, because the fold depends on nothing but the records before it.
 */
public sealed interface Verdict {

  /** The revision of the record: its offset + 1. */
  long revision();

  /** The record changed its object: {@code object} is the new state (for a delete, the last). */
  record Applied(long revision, Op op, Actor actor, StoredObject object, StoredObject previous)
      implements Verdict {}

  /** The record's precondition did not hold; nothing changed. */
  record Rejected(
      long revision,
      Op op,
      Actor actor,
      ResourceKey key,
      Rejection reason,
      String message,
      StoredObject current)
      implements Verdict {}

  /** The record is not a change Keelson can read; it was skipped. */
  record Skipped(long revision, String problem) implements Verdict {}
}
