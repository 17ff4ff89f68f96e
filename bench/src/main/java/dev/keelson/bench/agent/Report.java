package dev.keelson.bench.agent;

import dev.keelson.bench.api.ResultTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The agent benchmark's tables: pod start latencies, what each process used during the steady
 * window, and the single figures (times to Ready, renewal rates, end checks).
 */
final class Report {

  private final List<String[]> latencies = new ArrayList<>();
  private final List<String[]> processes = new ArrayList<>();
  private final List<String[]> figures = new ArrayList<>();

  Report() {
    latencies.add(
        new String[] {"measure", "pods", "p50 ms", "p90 ms", "p99 ms", "max ms", "notes"});
    processes.add(
        new String[] {
          "process",
          "CPU, % of one core",
          "CPU, % of machine (" + Runtime.getRuntime().availableProcessors() + " cores)",
          "RSS MiB",
          "heap used MiB",
          "heap live MiB (after full GC)"
        });
    figures.add(new String[] {"measure", "value"});
  }

  void latency(String measure, Latencies values, String notes) {
    String[] cells = values.cells();
    latencies.add(
        new String[] {
          measure, Integer.toString(values.count()), cells[0], cells[1], cells[2], cells[3], notes
        });
  }

  /**
   * A process's share of the CPU over the window, its RSS at the end, and its heap (in KiB, or a
   * negative number when not measured).
   */
  void process(String name, double cores, long rssKib, long heapUsedKib, long heapLiveKib) {
    int cpus = Runtime.getRuntime().availableProcessors();
    processes.add(
        new String[] {
          name,
          String.format(Locale.ROOT, "%.1f", cores * 100),
          String.format(Locale.ROOT, "%.1f", cores * 100 / cpus),
          mib(rssKib),
          mib(heapUsedKib),
          mib(heapLiveKib)
        });
  }

  void figure(String measure, String value) {
    figures.add(new String[] {measure, value});
  }

  String render() {
    StringBuilder out = new StringBuilder();
    for (List<String[]> table : List.of(latencies, processes, figures)) {
      if (table.size() > 1) {
        out.append('\n').append(ResultTable.markdown(table));
      }
    }
    return out.toString();
  }

  private static String mib(long kib) {
    return kib < 0 ? "-" : String.format(Locale.ROOT, "%,.0f", kib / 1024.0);
  }
}
