package dev.keelson.bench.scheduler;

import dev.keelson.bench.agent.ProcessUsage;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Part two: pods created as fast as the API takes them on a cluster of simulated nodes with the
 * scheduler and controllers in {@code keelson up}, timed from the first create until all are bound
 * and until all are Running.
 */
final class TimeToRunning {

  static final String CASE = "run";

  private TimeToRunning() {}

  static void run(SimulatedCluster simulated, int pods, Duration timeout, Report report)
      throws Exception {
    String label =
        String.format(Locale.ROOT, "2. %,d pods, %,d simulated nodes", pods, simulated.nodes);
    long upPid = simulated.cluster.keelson.process().pid();
    long agentPid = simulated.agent.pid();
    try (PodWatch watch =
        PodWatch.start(simulated.cluster.client, Map.of(BenchPods.CASE_LABEL, CASE))) {
      ProcessUsage up0 = ProcessUsage.of(upPid);
      ProcessUsage agent0 = ProcessUsage.of(agentPid);
      long start = System.nanoTime();
      System.err.printf(Locale.ROOT, "running: creating %,d pods%n", pods);
      ParallelCreates.Result created = BenchPods.create(simulated.cluster.client, CASE, pods);
      long deadline = start + timeout.toNanos();
      boolean bound =
          PodWatch.await(() -> watch.bound().count(), created.created(), deadline, "bound");
      boolean running =
          bound
              && PodWatch.await(
                  () -> watch.running().count(), created.created(), deadline, "Running");
      ProcessUsage up1 = ProcessUsage.of(upPid);
      ProcessUsage agent1 = ProcessUsage.of(agentPid);
      Span boundSpan = watch.bound();
      Span runningSpan = watch.running();
      report.figure(label + ": created", created.describe("pods"));
      report.figure(
          label + ": first create → all bound",
          bound
              ? Report.seconds(boundSpan.lastAfter(start))
              : Report.notAll("bound", boundSpan, created.created(), timeout, watch));
      report.figure(
          label + ": first create → all Running",
          running
              ? Report.seconds(runningSpan.lastAfter(start))
              : Report.notAll("Running", runningSpan, created.created(), timeout, watch));
      report.bindRate(label + ": pods bound/s = pods / (last − first bind)", boundSpan);
      String window = running ? "first create → all Running" : "first create → timeout";
      report.process(label + ": keelson up (with scheduler), " + window, up0, up1, upPid);
      report.process(label + ": keelson agent --simulate, " + window, agent0, agent1, agentPid);
    }
  }
}
