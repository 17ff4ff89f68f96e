package dev.keelson.apiserver.codec;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The text forms Go's encoding/json gives the apimachinery time types. */
final class GoTime {

  // metav1.Time marshals as RFC 3339 in UTC, whole seconds.
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  // metav1.MicroTime marshals as RFC 3339 in UTC with exactly six fractional digits.
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private GoTime() {}

  static String time(long seconds) {
    return SECONDS.format(Instant.ofEpochSecond(seconds));
  }

  static String microTime(long seconds, int nanos) {
    return MICROS.format(Instant.ofEpochSecond(seconds, nanos).truncatedTo(ChronoUnit.MICROS));
  }

  /** Go's time.Duration.String(): "1h0m0s", "1m30s", "1.5s", "250ms", "0s". */
  static String duration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    // Negating Long.MIN_VALUE leaves it unchanged, which read unsigned is 2^63, as in Go.
    long u = nanos < 0 ? -nanos : nanos;
    String text;
    if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
      if (u < 1_000L) {
        text = u + "ns";
      } else if (u < 1_000_000L) {
        text = (u / 1_000L) + fraction(u % 1_000L, 3) + "µs";
      } else {
        text = (u / 1_000_000L) + fraction(u % 1_000_000L, 6) + "ms";
      }
    } else {
      String fraction = fraction(Long.remainderUnsigned(u, 1_000_000_000L), 9);
      long rest = Long.divideUnsigned(u, 1_000_000_000L);
      text = (rest % 60) + fraction + "s";
      rest /= 60;
      if (rest > 0) {
        text = (rest % 60) + "m" + text;
        rest /= 60;
        if (rest > 0) {
          text = rest + "h" + text;
        }
      }
    }
    return nanos < 0 ? "-" + text : text;
  }

  /** ".5" for (5, 1); trailing zeros and a zero fraction are left out, as Go does. */
  private static String fraction(long value, int digits) {
    if (value == 0) {
      return "";
    }
    String padded = String.format("%0" + digits + "d", value);
    int end = padded.length();
    while (padded.charAt(end - 1) == '0') {
      end--;
    }
    return "." + padded.substring(0, end);
  }
}
