package dev.keelson.apiserver.admission;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A range of ports, both ends included, as upstream's {@code --service-node-port-range} gives it:
 * {@code 30000-32767}, or {@code 30000+2767} (a first port and how many follow it).
 */
public record PortRange(int first, int last) {

  public static final PortRange NODE_PORTS = new PortRange(30000, 32767);
  public static final PortRange PROXY_PORTS = new PortRange(20000, 29999);

  private static final Pattern RANGE = Pattern.compile("(\\d{1,5})(?:([-+])(\\d{1,5}))?");

  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException(
          "'" + first + "-" + last + "' is not a range of ports between 1 and 65535");
    }
  }

  /** Parses {@code A-B}, {@code A+N} or {@code A}; throws {@link IllegalArgumentException}. */
  public static PortRange parse(String text) {
    Matcher m = RANGE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a port range (for example 30000-32767)");
    }
    int first = Integer.parseInt(m.group(1));
    int last = first;
    if (m.group(2) != null) {
      int other = Integer.parseInt(m.group(3));
      last = m.group(2).equals("-") ? other : first + other;
    }
    return new PortRange(first, last);
  }

  public int size() {
    return last - first + 1;
  }

  public boolean contains(long port) {
    return port >= first && port <= last;
  }

  public boolean overlaps(PortRange other) {
    return first <= other.last && other.first <= last;
  }

  /** As upstream prints it in its errors: {@code 30000-32767}. */
  @Override
  public String toString() {
    return first + "-" + last;
  }
}
