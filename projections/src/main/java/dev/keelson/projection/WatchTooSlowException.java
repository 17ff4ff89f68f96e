package dev.keelson.projection;

/** A watcher fell behind the projection by more than its buffer. */
public final class WatchTooSlowException extends RuntimeException {

  public WatchTooSlowException(long lastRevision) {
    super("watch fell behind; watch again from revision " + lastRevision);
  }
}
