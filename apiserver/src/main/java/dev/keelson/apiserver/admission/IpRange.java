package dev.keelson.apiserver.admission;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IPv4 addresses Services get their cluster IPs from, given as a CIDR ({@code
 * --service-cluster-ip-range}): every address of it but the network and broadcast ones, as
 * upstream's allocator hands them out. Only loopback ranges: a proxy can listen on any address of
 * 127.0.0.0/8 on any host without configuring it.
 *
 * @param network the first address of the range, as an unsigned 32-bit number
 * @param prefix the length of its prefix, 12 to 30
 */
public record IpRange(int network, int prefix) {

  // Before DEFAULT, which parses with them.
  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  public static final IpRange DEFAULT = parse("127.64.0.0/16");

  /**
   * Parses {@code a.b.c.d/n}; host bits set in the address are ignored, as Go's {@code ParseCIDR}
   * does. Throws {@link IllegalArgumentException} saying what is wrong.
   */
  public static IpRange parse(String cidr) {
    Matcher m = CIDR.matcher(cidr.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + cidr + "' is not an IPv4 range in CIDR notation (for example 127.64.0.0/16)");
    }
    int address = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        throw new IllegalArgumentException("'" + cidr + "' is not a valid IPv4 address range");
      }
      address = address << 8 | octet;
    }
    int prefix = Integer.parseInt(m.group(5));
    if (prefix < 12 || prefix > 30) {
      throw new IllegalArgumentException(
          "'" + cidr + "' has a prefix of " + prefix + "; it must be between /12 and /30");
    }
    if (address >>> 24 != 127) {
      throw new IllegalArgumentException(
          "'"
              + cidr
              + "' is not within 127.0.0.0/8: the proxy listens on cluster IPs, which must be"
              + " loopback addresses");
    }
    return new IpRange(address & mask(prefix), prefix);
  }

  /** How many addresses the range hands out. */
  public int size() {
    return (1 << (32 - prefix)) - 2;
  }

  /** The {@code index}-th address handed out, {@code 0 <= index < size()}. */
  public String address(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException(index);
    }
    return text(network + 1 + index);
  }

  /**
   * The index of {@code ip} among the addresses handed out, or -1 when it is not one of them (not
   * an IPv4 address, outside the range, or its network or broadcast address). Leading zeros are
   * read as Go's sloppy parse reads them: decimal.
   */
  public int indexOf(String ip) {
    Matcher m = IPV4.matcher(ip);
    if (!m.matches()) {
      return -1;
    }
    int address = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        return -1;
      }
      address = address << 8 | octet;
    }
    if ((address & mask(prefix)) != network) {
      return -1;
    }
    int index = address - network - 1;
    return index >= 0 && index < size() ? index : -1;
  }

  @Override
  public String toString() {
    return text(network) + "/" + prefix;
  }

  private static int mask(int prefix) {
    return -1 << (32 - prefix);
  }

  private static String text(int address) {
    return (address >>> 24)
        + "."
        + (address >>> 16 & 0xff)
        + "."
        + (address >>> 8 & 0xff)
        + "."
        + (address & 0xff);
  }
}
