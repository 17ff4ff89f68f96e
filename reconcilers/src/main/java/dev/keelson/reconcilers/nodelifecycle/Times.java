package dev.keelson.reconcilers.nodelifecycle;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Kubernetes timestamps (Time and MicroTime, RFC 3339) as instants. */
final class Times {

  private Times() {}

  /** The instant {@code text} names, or null when it names none. */
  static Instant parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
