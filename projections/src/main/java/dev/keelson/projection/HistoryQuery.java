package dev.keelson.projection;

import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import java.util.Objects;

/**
 * Which records of the change log a history wants: those of one object (by key, or by uid), or of a
 * kind and/or a namespace, with revisions in {@code [fromRevision, toRevision)}, at most {@code
 * limit} of them, oldest first.
 */
public record HistoryQuery(Subject subject, long fromRevision, long toRevision, int limit) {

  /** Whose records. */
  public sealed interface Subject {}

  /** Every record of one key, whatever object held it: a name deleted and created again is one. */
  public record OfKey(ResourceKey key) implements Subject {}

  /**
   * The records of the object that has this uid: from the create that gave it that uid to the next
   * create of the same key (attempts on it after its delete included).
   */
  public record OfUid(String uid) implements Subject {}

  /** The records of every object of {@code kind} in {@code namespace}; null for any. */
  public record InScope(GroupKind kind, String namespace) implements Subject {}

  public HistoryQuery {
    Objects.requireNonNull(subject, "subject");
    if (fromRevision < 1 || toRevision < fromRevision || limit < 1) {
      throw new IllegalArgumentException(
          "a history query needs 1 <= from <= to and a positive limit");
    }
  }
}
