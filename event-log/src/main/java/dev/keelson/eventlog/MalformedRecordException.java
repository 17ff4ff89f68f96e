package dev.keelson.eventlog;

/** A record of the change log that is not an envelope Keelson can apply. */
public final class MalformedRecordException extends RuntimeException {

  public MalformedRecordException(String message) {
    super(message);
  }
}
