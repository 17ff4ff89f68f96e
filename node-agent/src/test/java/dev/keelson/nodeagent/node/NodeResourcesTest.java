package dev.keelson.nodeagent.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NodeResourcesTest {

  @Test
  void thisHostReportsSaneValues() {
    NodeResources host = NodeResources.ofHost("127.0.0.1");
    assertThat(host.cpuMillis())
        .isGreaterThanOrEqualTo(1000)
        .satisfies(m -> assertThat(m % 1000).isZero());
    assertThat(host.memoryBytes()).isGreaterThan(64L * 1024 * 1024);
    assertThat(host.pods()).isEqualTo(110);
    assertThat(host.address()).isEqualTo("127.0.0.1");
    assertThat(host.hostname()).isNotBlank().isEqualTo(host.hostname().toLowerCase());
    assertThat(host.os()).isEqualTo("linux");
    assertThat(host.architecture()).isIn("amd64", "arm64", "arm", "386", "ppc64le", "s390x");
    assertThat(host.kernelVersion()).matches("\\d+\\.\\d+.*");
    assertThat(host.osImage()).isNotBlank().doesNotStartWith("\"");
  }

  @Test
  void flagsOverrideTheCapacityAndKeepTheRest() {
    NodeResources host = NodeResources.ofHost("10.0.0.5");
    NodeResources small = host.withCpu(500).withMemory(1L << 30).withPods(8);
    assertThat(small.cpuMillis()).isEqualTo(500);
    assertThat(small.memoryBytes()).isEqualTo(1L << 30);
    assertThat(small.pods()).isEqualTo(8);
    assertThat(small.withCpu(host.cpuMillis()).withMemory(host.memoryBytes()).withPods(110))
        .isEqualTo(host);
  }

  @Test
  void javaNamesBecomeGoNames() {
    assertThat(NodeResources.goArch("amd64")).isEqualTo("amd64");
    assertThat(NodeResources.goArch("x86_64")).isEqualTo("amd64");
    assertThat(NodeResources.goArch("aarch64")).isEqualTo("arm64");
    assertThat(NodeResources.goArch("i686")).isEqualTo("386");
    assertThat(NodeResources.goArch("ppc64le")).isEqualTo("ppc64le");
    assertThat(NodeResources.goOs("Linux")).isEqualTo("linux");
    assertThat(NodeResources.goOs("Mac OS X")).isEqualTo("darwin");
    assertThat(NodeResources.goOs("Windows 11")).isEqualTo("windows");
  }

  @Test
  void readsMemTotalAndPrettyName() {
    String meminfo =
        "MemTotal:       16314412 kB\nMemFree:         1234567 kB\nMemAvailable:    8000000 kB\n";
    assertThat(ProcText.meminfoBytes(meminfo, "MemTotal")).hasValue(16314412L * 1024);
    assertThat(ProcText.meminfoBytes(meminfo, "SwapTotal")).isEqualTo(OptionalLong.empty());
    assertThat(ProcText.meminfoBytes("MemTotal: lots kB", "MemTotal")).isEmpty();
    String osRelease =
        "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n";
    assertThat(NodeResources.prettyName(osRelease)).isEqualTo("Debian GNU/Linux 12 (bookworm)");
    assertThat(NodeResources.prettyName("PRETTY_NAME=Alpine\n")).isEqualTo("Alpine");
    assertThat(NodeResources.prettyName("ID=scratch\n")).isEqualTo("Linux");
  }
}
