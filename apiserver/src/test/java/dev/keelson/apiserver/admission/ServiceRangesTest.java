package dev.keelson.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ranges values are allocated from, and the picking of free values in them. */
class ServiceRangesTest {

  @Test
  void theDefaultIpRangeHandsOutAllButItsNetworkAndBroadcastAddresses() {
    IpRange range = IpRange.DEFAULT;
    assertThat(range).hasToString("127.64.0.0/16");
    assertThat(range.size()).isEqualTo(65534);
    assertThat(range.address(0)).isEqualTo("127.64.0.1");
    assertThat(range.address(range.size() - 1)).isEqualTo("127.64.255.254");
    assertThat(range.indexOf("127.64.0.1")).isZero();
    assertThat(range.indexOf("127.64.1.0")).isEqualTo(255);
    assertThat(range.indexOf("127.064.001.000")).isEqualTo(255);
    assertThat(range.indexOf("127.64.0.0")).isEqualTo(-1);
    assertThat(range.indexOf("127.64.255.255")).isEqualTo(-1);
    assertThat(range.indexOf("127.65.0.1")).isEqualTo(-1);
    assertThat(range.indexOf("1.2.3.4")).isEqualTo(-1);
    assertThat(range.indexOf("fd00::1")).isEqualTo(-1);
    assertThat(range.indexOf("127.64.0.256")).isEqualTo(-1);
  }

  @Test
  void anIpRangeIsALoopbackCidrOfPrefix12To30() {
    assertThat(IpRange.parse("127.99.3.4/24")).hasToString("127.99.3.0/24");
    assertThat(IpRange.parse("127.0.0.0/30").size()).isEqualTo(2);
    assertThatThrownBy(() -> IpRange.parse("127.64.0.0"))
        .hasMessage(
            "'127.64.0.0' is not an IPv4 range in CIDR notation (for example 127.64.0.0/16)");
    assertThatThrownBy(() -> IpRange.parse("10.96.0.0/12"))
        .hasMessageContaining("is not within 127.0.0.0/8");
    assertThatThrownBy(() -> IpRange.parse("127.0.0.0/8"))
        .hasMessage("'127.0.0.0/8' has a prefix of 8; it must be between /12 and /30");
    assertThatThrownBy(() -> IpRange.parse("127.0.0.0/31")).hasMessageContaining("/12 and /30");
    assertThatThrownBy(() -> IpRange.parse("127.300.0.0/16"))
        .hasMessageContaining("not a valid IPv4");
  }

  @Test
  void aPortRangeIsFirstToLastOrFirstPlusCount() {
    assertThat(PortRange.parse("30000-32767")).isEqualTo(PortRange.NODE_PORTS);
    assertThat(PortRange.parse("30000+2767")).isEqualTo(PortRange.NODE_PORTS);
    assertThat(PortRange.parse("8080").size()).isEqualTo(1);
    assertThat(PortRange.NODE_PORTS).hasToString("30000-32767");
    assertThat(PortRange.NODE_PORTS.contains(30000)).isTrue();
    assertThat(PortRange.NODE_PORTS.contains(32768)).isFalse();
    assertThatThrownBy(() -> PortRange.parse("ports"))
        .hasMessage("'ports' is not a port range (for example 30000-32767)");
    assertThatThrownBy(() -> PortRange.parse("32767-30000"))
        .hasMessage("'32767-30000' is not a range of ports between 1 and 65535");
    assertThatThrownBy(() -> PortRange.parse("0-10")).hasMessageContaining("between 1 and 65535");
    assertThatThrownBy(() -> PortRange.parse("60000+9000"))
        .hasMessageContaining("between 1 and 65535");
  }

  @Test
  void nodePortsAndProxyPortsMayNotOverlap() {
    assertThatThrownBy(
            () ->
                new ServiceRanges(
                    IpRange.DEFAULT, PortRange.NODE_PORTS, PortRange.parse("32000-33000")))
        .hasMessage(
            "the node port range 30000-32767 and the proxy port range 32000-33000 overlap: both"
                + " are ports of every node");
  }

  @Test
  void aPickIsOneOfTheFreeValuesAtRandom() {
    Random random = new Random(7);
    Set<Integer> picked = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int index = FreeValues.pick(100, n -> n % 10 == 3, random).orElseThrow();
      assertThat(index % 10).isEqualTo(3);
      picked.add(index);
    }
    assertThat(picked).as("random, not always the first free").hasSizeGreaterThan(5);
    // A crowded range: random probes miss, the scan finds the one left.
    assertThat(FreeValues.pick(65534, n -> n == 40000, random)).hasValue(40000);
    assertThat(FreeValues.pick(1000, n -> false, random)).isEmpty();
    assertThat(FreeValues.pick(0, n -> true, random)).isEmpty();
  }
}
