package dev.keelson.write;

/**
 * A change refused before it reached the log, by an {@link Admission} or by a patch that does not
 * apply. {@code reason} is whatever the caller needs to answer (an API status, say); the write path
 * only carries it.
 */
public final class WriteRefusedException extends RuntimeException {

  private final transient Object reason;

  public WriteRefusedException(Object reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Object reason() {
    return reason;
  }
}
