package dev.keelson.nodeagent.node;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Whether the host is short of memory, disk or process ids, judged by upstream kubelet's default
 * hard eviction thresholds: memory.available &lt; 100Mi and nodefs.available &lt; 10%. Upstream has
 * no default for pid.available; Keelson takes 10% of kernel.pid_max. A signal that cannot be read
 * (no /proc) counts as no pressure, as a kubelet without the stat observes none.
 */
public final class NodePressure {

  static final long MEMORY_AVAILABLE_MIN = 100L * 1024 * 1024;
  static final double DISK_AVAILABLE_MIN = 0.10;
  static final double PIDS_AVAILABLE_MIN = 0.10;

  private NodePressure() {}

  /**
   * The three pressure conditions of a Node, with the messages of its conditions.
   *
   * @param memory MemoryPressure
   * @param disk DiskPressure
   * @param pid PIDPressure
   */
  public record PressureReading(
      boolean memory,
      boolean disk,
      boolean pid,
      String memoryMessage,
      String diskMessage,
      String pidMessage) {}

  /** Reads the host now; the disk is the file system that holds {@code dataDir}. */
  public static PressureReading read(Path dataDir) {
    OptionalLong memoryAvailable =
        ProcText.read(Path.of("/proc/meminfo"))
            .map(text -> ProcText.meminfoBytes(text, "MemAvailable"))
            .orElse(OptionalLong.empty());
    OptionalLong pidMax =
        ProcText.read(Path.of("/proc/sys/kernel/pid_max"))
            .map(ProcText::number)
            .orElse(OptionalLong.empty());
    long usable = 0;
    long total = 0;
    try {
      FileStore disk = Files.getFileStore(existing(dataDir));
      usable = disk.getUsableSpace();
      total = disk.getTotalSpace();
    } catch (IOException e) {
      // not measured: no disk pressure
    }
    return judge(memoryAvailable, usable, total, pidMax, processCount(procEntries()));
  }

  /** The conditions for what was measured; an empty or zero measure is no pressure. */
  static PressureReading judge(
      OptionalLong memoryAvailable,
      long diskUsable,
      long diskTotal,
      OptionalLong pidMax,
      long processes) {
    boolean memory =
        memoryAvailable.isPresent() && memoryAvailable.getAsLong() < MEMORY_AVAILABLE_MIN;
    boolean disk = diskTotal > 0 && diskUsable < diskTotal * DISK_AVAILABLE_MIN;
    boolean pid =
        pidMax.isPresent()
            && pidMax.getAsLong() > 0
            && pidMax.getAsLong() - processes < pidMax.getAsLong() * PIDS_AVAILABLE_MIN;
    return new PressureReading(
        memory,
        disk,
        pid,
        memory
            ? "Keelson node agent has insufficient memory available"
            : "Keelson node agent has sufficient memory available",
        disk ? "Keelson node agent has disk pressure" : "Keelson node agent has no disk pressure",
        pid
            ? "Keelson node agent has insufficient PID available"
            : "Keelson node agent has sufficient PID available");
  }

  /**
   * The processes among the names of /proc's entries: those that are numbers. (Upstream counts
   * threads, which pid_max bounds too; processes are what can be counted without walking each.)
   */
  static long processCount(List<String> procEntries) {
    return procEntries.stream().filter(NodePressure::isNumber).count();
  }

  private static boolean isNumber(String name) {
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  private static List<String> procEntries() {
    List<String> names = new ArrayList<>();
    try (var entries = Files.newDirectoryStream(Path.of("/proc"))) {
      entries.forEach(entry -> names.add(entry.getFileName().toString()));
    } catch (IOException | SecurityException e) {
      // no /proc: no process count, and no PID pressure
    }
    return names;
  }

  /** The data directory, or its nearest ancestor that exists (it may not be created yet). */
  private static Path existing(Path dataDir) {
    Path path = dataDir.toAbsolutePath();
    while (path != null && !Files.exists(path)) {
      path = path.getParent();
    }
    return path == null ? Path.of("/") : path;
  }
}
