package dev.keelson.bench.scheduler;

import dev.keelson.bench.agent.ProcessUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Part one, as upstream's scheduler_perf measures it: nodes that exist only in the API, pending
 * pods created before any scheduler runs, then {@code keelson scheduler} started as a process of
 * its own, timed from its start until it has bound them all. A second round stops it, adds more
 * pending pods and starts a fresh scheduler, which replays the larger log first.
 */
final class Throughput {

  /** What to run; {@code morePods} 0 leaves the second round out. */
  record Plan(int nodes, int pods, int morePods, Duration timeout) {}

  /** One round: its pods are labelled with its name; its rows start with its label. */
  private record Round(String name, int pods, String label) {}

  private Throughput() {}

  static void run(Path jar, Path dir, Plan plan, Report report) throws Exception {
    List<String> flags = List.of("--no-scheduler", "--node-monitor-grace-period", "24h");
    try (Cluster cluster = Cluster.up(jar, dir.resolve("data"), flags)) {
      cluster.namespace(BenchPods.NAMESPACE);
      System.err.printf(Locale.ROOT, "throughput: creating %,d nodes%n", plan.nodes());
      ParallelCreates.Result nodes = FakeNodes.create(cluster.client, plan.nodes());
      report.figure(
          "1. nodes created through the API (Ready, 8 cores, 32Gi, 110 pods)",
          nodes.describe("nodes"));
      String first =
          String.format(Locale.ROOT, "1. %,d pods, %,d nodes", plan.pods(), plan.nodes());
      round(cluster, jar, dir, new Round("first", plan.pods(), first), plan, report);
      if (plan.morePods() > 0) {
        String more =
            String.format(
                Locale.ROOT,
                "1. +%,d pods (%,d in all), %,d nodes",
                plan.morePods(),
                plan.pods() + plan.morePods(),
                plan.nodes());
        round(cluster, jar, dir, new Round("more", plan.morePods(), more), plan, report);
      }
    }
  }

  /** Pending pods, then a fresh scheduler process timed until it has bound them all. */
  private static void round(
      Cluster cluster, Path jar, Path dir, Round round, Plan plan, Report report) throws Exception {
    String name = round.name();
    int pods = round.pods();
    String label = round.label();
    System.err.printf(Locale.ROOT, "throughput: creating %,d pending pods (%s)%n", pods, name);
    ParallelCreates.Result created = BenchPods.create(cluster.client, name, pods);
    report.figure(label + ": pending pods created (no scheduler)", created.describe("pods"));
    long upPid = cluster.keelson.process().pid();
    long benchPid = ProcessHandle.current().pid();
    try (PodWatch watch = PodWatch.start(cluster.client, Map.of(BenchPods.CASE_LABEL, name));
        SchedulerProcess scheduler =
            SchedulerProcess.start(jar, cluster.kafka, dir.resolve("scheduler-" + name + ".log"))) {
      ProcessUsage scheduler0 = ProcessUsage.of(scheduler.pid());
      ProcessUsage up0 = ProcessUsage.of(upPid);
      ProcessUsage bench0 = ProcessUsage.of(benchPid);
      long deadline = scheduler.startedNanos + plan.timeout().toNanos();
      System.err.printf(Locale.ROOT, "throughput: keelson scheduler started (%s)%n", name);
      boolean all =
          scheduler.awaitUp(deadline)
              && scheduler.awaitLeading(cluster.client, deadline)
              && PodWatch.await(
                  () -> watch.bound().count(), created.created(), deadline, "bound (" + name + ")");
      ProcessUsage scheduler1 = ProcessUsage.of(scheduler.pid());
      ProcessUsage up1 = ProcessUsage.of(upPid);
      ProcessUsage bench1 = ProcessUsage.of(benchPid);
      Span bound = watch.bound();
      long start = scheduler.startedNanos;
      report.figure(
          label + ": scheduler start → up (log read) → leading",
          Report.seconds(scheduler.secondsToUp())
              + " → "
              + Report.seconds(scheduler.secondsToLeading()));
      report.figure(
          label + ": scheduler start → first bind → last bind",
          (bound.count() == 0 ? "-" : Report.seconds(bound.firstAfter(start)))
              + " → "
              + (all
                  ? Report.seconds(bound.lastAfter(start))
                  : Report.notAll("bound", bound, created.created(), plan.timeout(), watch)));
      report.bindRate(label + ": pods bound/s = pods / (last − first bind)", bound);
      String window = all ? "start → last bind" : "start → timeout";
      report.process(
          label + ": keelson scheduler, its " + window, scheduler0, scheduler1, scheduler.pid());
      report.process(label + ": keelson up, scheduler " + window, up0, up1, -1);
      report.process(label + ": the benchmark (watch), scheduler " + window, bench0, bench1, -1);
    }
  }
}
