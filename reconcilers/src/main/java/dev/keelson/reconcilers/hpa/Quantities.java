package dev.keelson.reconcilers.hpa;

import dev.keelson.api.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The quantities and durations of metrics, as apimachinery reads and writes them. */
final class Quantities {

  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final String[] DECIMAL = {"m", "", "k", "M", "G", "T", "P", "E"};
  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  private Quantities() {}

  /** A quantity in thousandths, rounded up as Quantity.MilliValue does; empty if not one. */
  static OptionalLong milli(String text) {
    return Quantity.parse(text)
        .map(
            q ->
                OptionalLong.of(q.multiply(THOUSAND).setScale(0, RoundingMode.CEILING).longValue()))
        .orElse(OptionalLong.empty());
  }

  /**
   * Thousandths as the canonical decimal quantity resource.NewMilliQuantity writes: {@code 150m},
   * {@code 2}, {@code 12M}.
   */
  static String ofMilli(long milli) {
    if (milli == 0) {
      return "0";
    }
    long value = milli;
    int exponent = 0;
    while (exponent + 1 < DECIMAL.length && value % 1000 == 0) {
      value /= 1000;
      exponent++;
    }
    return value + DECIMAL[exponent];
  }

  /** A duration as Go writes it ({@code 10s}, {@code 1m0s}, {@code 20.064s}); empty if not one. */
  static java.util.Optional<Duration> goDuration(String text) {
    if (text == null || text.isEmpty()) {
      return java.util.Optional.empty();
    }
    if (text.equals("0")) {
      return java.util.Optional.of(Duration.ZERO);
    }
    Matcher m = DURATION_PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      BigDecimal unit =
          switch (m.group(2)) {
            case "ns" -> BigDecimal.ONE;
            case "us", "µs" -> BigDecimal.valueOf(1_000L);
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "s" -> BigDecimal.valueOf(1_000_000_000L);
            case "m" -> BigDecimal.valueOf(60_000_000_000L);
            default -> BigDecimal.valueOf(3_600_000_000_000L);
          };
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unit));
      end = m.end();
    }
    if (end == 0 || end != text.length()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Duration.ofNanos(nanos.longValue()));
  }
}
