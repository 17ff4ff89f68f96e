package dev.keelson.bench.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One look at a process in /proc: the CPU time its threads have used so far (user + system, in
 * clock ticks) and its resident memory. Two looks give its CPU share over the time between them.
 */
public record ProcessUsage(long cpuTicks, long rssKib, long nanoTime) {

  /** Clock ticks per second of /proc/PID/stat; 100 on every Linux Keelson runs on. */
  static final long TICKS_PER_SECOND = ticksPerSecond();

  public static ProcessUsage of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    // /proc files report no size: read them as streams.
    String stat = new String(Files.newInputStream(proc.resolve("stat")).readAllBytes());
    String status = new String(Files.newInputStream(proc.resolve("status")).readAllBytes());
    return new ProcessUsage(cpuTicks(stat), rssKib(status), System.nanoTime());
  }

  /**
   * utime + stime, fields 14 and 15 of /proc/PID/stat. The command name (field 2) is in parentheses
   * and may hold spaces, so fields are counted from the last ')'.
   */
  static long cpuTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // fields[0] is field 3 (the state), so field N is fields[N - 3].
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }

  /** VmRSS of /proc/PID/status, in KiB. */
  static long rssKib(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalArgumentException("no VmRSS line: the process has exited");
  }

  /** The CPU this process used since {@code earlier}, in cores (1.0 = one core busy all along). */
  public double coresSince(ProcessUsage earlier) {
    double cpuSeconds = (cpuTicks - earlier.cpuTicks) / (double) TICKS_PER_SECOND;
    double wallSeconds = (nanoTime - earlier.nanoTime) / 1e9;
    return cpuSeconds / wallSeconds;
  }

  private static long ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes()).trim();
      return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
