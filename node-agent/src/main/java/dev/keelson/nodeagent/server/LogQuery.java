package dev.keelson.nodeagent.server;

import dev.keelson.nodeagent.runtime.LogOptions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * The query of a {@code /containerLogs} request, read as a kubelet reads it into its PodLogOptions:
 * follow, previous, timestamps, tailLines (or the older {@code tail}), sinceSeconds, sinceTime and
 * limitBytes.
 *
 * @param limitBytes stop after this many bytes, or null for no limit
 */
record LogQuery(LogOptions options, boolean previous, Long limitBytes) {

  /** A query that cannot be served, with the status and plain-text body a kubelet answers. */
  static final class BadQuery extends Exception {
    private final int status;

    BadQuery(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /**
   * Reads the query from {@code param} (a parameter's first value, or null), at time {@code now}.
   */
  static LogQuery parse(Function<String, String> param, Instant now) throws BadQuery {
    Long tailLines;
    Long sinceSeconds;
    Long limitBytes;
    Instant sinceTime;
    try {
      String tail = param.apply("tail");
      tailLines =
          tail != null ? (tail.equals("all") ? null : parseLong(tail)) : number(param, "tailLines");
      sinceSeconds = number(param, "sinceSeconds");
      limitBytes = number(param, "limitBytes");
      String since = param.apply("sinceTime");
      sinceTime = since == null ? null : OffsetDateTime.parse(since).toInstant();
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new BadQuery(400, "{\"message\": \"Unable to decode query.\"}");
    }
    // Upstream's ValidatePodLogOptions.
    if ((tailLines != null && tailLines < 0)
        || (limitBytes != null && limitBytes < 1)
        || (sinceSeconds != null && sinceSeconds < 1)
        || (sinceSeconds != null && sinceTime != null)) {
      throw new BadQuery(422, "{\"message\": \"Invalid request.\"}");
    }
    Instant since =
        sinceTime != null
            ? sinceTime
            : sinceSeconds == null ? null : now.minusSeconds(sinceSeconds);
    return new LogQuery(
        new LogOptions(
            flag(param, "follow"),
            tailLines == null ? null : (int) Math.min(tailLines, Integer.MAX_VALUE),
            flag(param, "timestamps"),
            since),
        flag(param, "previous"),
        limitBytes);
  }

  /** As the API's query conversion reads a boolean: present and neither "0" nor "false" is true. */
  private static boolean flag(Function<String, String> param, String name) {
    String value = param.apply(name);
    return value != null && !value.equals("0") && !value.toLowerCase(Locale.ROOT).equals("false");
  }

  private static Long number(Function<String, String> param, String name) {
    String value = param.apply(name);
    return value == null ? null : parseLong(value);
  }

  private static long parseLong(String value) {
    return Long.parseLong(value);
  }
}
