package dev.keelson.bench.scheduler;

import dev.keelson.bench.agent.JavaHeap;
import dev.keelson.bench.agent.ProcessUsage;
import dev.keelson.bench.api.ResultTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scheduler benchmark's one table: every figure, and beside the throughput figures the
 * published ones they are read against.
 */
final class Report {

  /** Upstream's scheduler_perf threshold for SchedulingBasic 5000Nodes_10000Pods. */
  static final String UPSTREAM_FLOOR =
      "kube-scheduler perf CI floor ≈ 680/s (5,000 nodes, 10,000 pods, larger machines)";

  static final String GKE = "GKE 1,000/s sustained";
  static final double GOAL = 1000;

  private final List<String[]> rows = new ArrayList<>();

  Report() {
    rows.add(new String[] {"measure", "Keelson", "reference"});
  }

  void figure(String measure, String value) {
    figure(measure, value, "");
  }

  void figure(String measure, String value, String reference) {
    rows.add(new String[] {measure, value, reference});
  }

  /** A bind rate, with the goal and the anchors beside it. */
  void bindRate(String measure, Span bound) {
    double rate = bound.perSecond();
    String verdict =
        Double.isNaN(rate) ? "" : rate >= GOAL ? " (goal ≥ 1,000 met)" : " (goal ≥ 1,000 not met)";
    figure(measure, Span.rate(rate) + verdict, UPSTREAM_FLOOR + "; " + GKE);
  }

  /**
   * What a process used between two looks: CPU as a share of one core and of the machine, RSS at
   * the end, and the used heap now and after a full collection (the live set). The heap is read
   * last: jcmd attaches to the JVM. A negative {@code heapPid} leaves the heap out.
   */
  void process(String measure, ProcessUsage from, ProcessUsage to, long heapPid) {
    int cpus = Runtime.getRuntime().availableProcessors();
    double cores = to.coresSince(from);
    figure(
        measure,
        String.format(
                Locale.ROOT,
                "CPU %.0f%% of one core (%.0f%% of %d cores), RSS %s MiB",
                cores * 100,
                cores * 100 / cpus,
                cpus,
                mib(to.rssKib()))
            + (heapPid < 0 ? "" : heap(heapPid)));
  }

  private static String heap(long pid) {
    try {
      long used = JavaHeap.usedKib(pid);
      JavaHeap.collect(pid);
      long live = JavaHeap.usedKib(pid);
      return String.format(Locale.ROOT, ", heap used %s MiB, live %s MiB", mib(used), mib(live));
    } catch (Exception e) {
      return ", heap not read: " + e.getMessage();
    }
  }

  /** "not all bound within 10m: 120 of 10,000", and why the watch may have missed some. */
  static String notAll(String state, Span span, int target, Duration timeout, PodWatch watch) {
    return String.format(
            Locale.ROOT,
            "not all %s within %s: %,d of %,d",
            state,
            SchedulerBench.format(timeout),
            span.count(),
            target)
        + (watch.problem() == null ? "" : "; " + watch.problem());
  }

  String render() {
    return ResultTable.markdown(rows);
  }

  static String seconds(double seconds) {
    return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.1f s", seconds);
  }

  private static String mib(long kib) {
    return String.format(Locale.ROOT, "%,.0f", kib / 1024.0);
  }
}
