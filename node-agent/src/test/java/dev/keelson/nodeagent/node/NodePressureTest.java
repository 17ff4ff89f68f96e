package dev.keelson.nodeagent.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.nodeagent.node.NodePressure.PressureReading;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodePressureTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void thisHostIsNotUnderPressure(@TempDir Path dataDir) {
    PressureReading reading = NodePressure.read(dataDir.resolve("not-created-yet"));
    assertThat(reading.memory()).isFalse();
    assertThat(reading.disk()).isFalse();
    assertThat(reading.pid()).isFalse();
    assertThat(reading.memoryMessage())
        .isEqualTo("Keelson node agent has sufficient memory available");
    assertThat(reading.diskMessage()).isEqualTo("Keelson node agent has no disk pressure");
    assertThat(reading.pidMessage()).isEqualTo("Keelson node agent has sufficient PID available");
  }

  @Test
  void procFilesAreReadToTheirEndThoughTheyReportNoSize() {
    assertThat(ProcText.read(Path.of("/proc/meminfo")).orElseThrow())
        .contains("MemTotal:", "MemAvailable:");
    String pidMax = ProcText.read(Path.of("/proc/sys/kernel/pid_max")).orElseThrow();
    assertThat(ProcText.number(pidMax).orElseThrow()).isGreaterThanOrEqualTo(301);
  }

  @Test
  void memoryPressureBelow100MiAvailable() {
    String meminfo = "MemTotal: 2048000 kB\nMemFree: 10000 kB\nMemAvailable: 102399 kB\n";
    OptionalLong available = ProcText.meminfoBytes(meminfo, "MemAvailable");
    assertThat(available).hasValue(102399L * 1024);
    PressureReading low = NodePressure.judge(available, 50, 100, OptionalLong.empty(), 0);
    assertThat(low.memory()).isTrue();
    assertThat(low.memoryMessage())
        .isEqualTo("Keelson node agent has insufficient memory available");
    assertThat(
            NodePressure.judge(OptionalLong.of(100 * MIB), 50, 100, OptionalLong.empty(), 0)
                .memory())
        .isFalse();
  }

  @Test
  void diskPressureBelowTenPercentUsable() {
    PressureReading full =
        NodePressure.judge(OptionalLong.empty(), 9, 100, OptionalLong.empty(), 0);
    assertThat(full.disk()).isTrue();
    assertThat(full.diskMessage()).isEqualTo("Keelson node agent has disk pressure");
    assertThat(NodePressure.judge(OptionalLong.empty(), 10, 100, OptionalLong.empty(), 0).disk())
        .isFalse();
    assertThat(NodePressure.judge(OptionalLong.empty(), 0, 0, OptionalLong.empty(), 0).disk())
        .as("an unmeasured disk")
        .isFalse();
  }

  @Test
  void pidPressureWhenFewerThanTenPercentOfPidMaxAreLeft() {
    OptionalLong pidMax = ProcText.number("4194304\n");
    assertThat(pidMax).hasValue(4194304);
    long processes =
        NodePressure.processCount(List.of("1", "42", "self", "meminfo", "sys", "31337", ""));
    assertThat(processes).isEqualTo(3);
    assertThat(NodePressure.judge(OptionalLong.empty(), 1, 1, pidMax, processes).pid()).isFalse();
    PressureReading crowded =
        NodePressure.judge(OptionalLong.empty(), 1, 1, OptionalLong.of(1000), 901);
    assertThat(crowded.pid()).isTrue();
    assertThat(crowded.pidMessage()).isEqualTo("Keelson node agent has insufficient PID available");
    assertThat(NodePressure.judge(OptionalLong.empty(), 1, 1, OptionalLong.of(1000), 900).pid())
        .isFalse();
    assertThat(ProcText.number("not a number")).isEmpty();
  }
}
