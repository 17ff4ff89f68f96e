package dev.keelson.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.apiserver.admission.ServiceRanges;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServiceOptionsTest {

  private static ServiceOptions parse(String... args) {
    UpCommand up = new UpCommand();
    new CommandLine(up).parseArgs(args);
    return up.services;
  }

  @Test
  void theDefaultsAreUpstreamsNodePortsAndALoopbackRange() {
    ServiceRanges ranges = parse().ranges();
    assertThat(ranges).isEqualTo(ServiceRanges.DEFAULTS);
    assertThat(ranges.clusterIps()).hasToString("127.64.0.0/16");
    assertThat(ranges.nodePorts()).hasToString("30000-32767");
    assertThat(ranges.proxyPorts()).hasToString("20000-29999");
  }

  @Test
  void theFlagsSetTheRanges() {
    ServiceRanges ranges =
        parse(
                "--service-cluster-ip-range",
                "127.70.0.0/24",
                "--service-node-port-range",
                "31000-31099",
                "--service-proxy-port-range",
                "21000+99")
            .ranges();
    assertThat(ranges.clusterIps()).hasToString("127.70.0.0/24");
    assertThat(ranges.nodePorts()).hasToString("31000-31099");
    assertThat(ranges.proxyPorts()).hasToString("21000-21099");
  }

  @Test
  void aBadValueIsOneLineNamingItsFlag() {
    assertThatThrownBy(() -> parse("--service-cluster-ip-range", "10.96.0.0/12").ranges())
        .hasMessageStartingWith("--service-cluster-ip-range: '10.96.0.0/12' is not within")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> parse("--service-node-port-range", "high").ranges())
        .hasMessage(
            "--service-node-port-range: 'high' is not a port range (for example 30000-32767)");
    assertThatThrownBy(() -> parse("--service-proxy-port-range", "30000-30100").ranges())
        .hasMessageContaining("overlap");
  }
}
