package dev.keelson.bench.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The used Java heap of another JVM of this user, from {@code jcmd PID GC.heap_info}: the JVM
 * answers itself, for whichever collector it runs, without a safepoint of its own. The figure
 * includes garbage not yet collected; {@link #collect} first makes it the live set.
 */
public final class JavaHeap {

  /** "total 262144K, used 123456K": a heap line; Metaspace lines have no total. */
  private static final Pattern HEAP_LINE = Pattern.compile("total \\d+K, used (\\d+)K");

  private JavaHeap() {}

  /** Used heap in KiB, summed over the generations the collector reports. */
  public static long usedKib(long pid) throws IOException, InterruptedException {
    return usedKib(jcmd(pid, "GC.heap_info"));
  }

  /** A full collection (System.gc()), so that the next {@link #usedKib} is the live set. */
  public static void collect(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
  }

  static long usedKib(String heapInfo) {
    long used = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      Matcher m = HEAP_LINE.matcher(line);
      if (m.find()) {
        used += Long.parseLong(m.group(1));
        found = true;
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no heap line in GC.heap_info:\n" + heapInfo);
    }
    return used;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of(jcmdBinary(), Long.toString(pid), command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out.strip());
    }
    return out;
  }

  /** The jcmd beside the java that runs the benchmark (the children run the same one). */
  private static String jcmdBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .map(java -> Path.of(java).resolveSibling("jcmd"))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .orElse("jcmd");
  }
}
