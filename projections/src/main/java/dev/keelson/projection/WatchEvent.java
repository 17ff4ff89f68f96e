package dev.keelson.projection;

/**
 * A change of one object as a watch delivers it. {@code previous} is the state before the change
 * (null for ADDED), so that a watcher filtering by selector can tell an object that left its
 * selection.
 */
public record WatchEvent(Type type, StoredObject object, StoredObject previous, long revision) {

  public enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }

  static WatchEvent of(Verdict.Applied applied) {
    Type type =
        switch (applied.op()) {
          case CREATE -> Type.ADDED;
          case UPDATE, UPDATE_STATUS -> Type.MODIFIED;
          case DELETE -> Type.DELETED;
        };
    return new WatchEvent(type, applied.object(), applied.previous(), applied.revision());
  }
}
