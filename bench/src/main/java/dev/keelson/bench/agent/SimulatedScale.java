package dev.keelson.bench.agent;

import dev.keelson.bench.api.ChildProcess;
import dev.keelson.bench.api.KeelsonProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Part two: {@code keelson up --no-agent} and {@code keelson agent --simulate N} as two processes.
 * The time until all N nodes are Ready with a Lease; then a steady window measuring each process's
 * CPU, memory and heap, and the Lease renewals the control plane serves; then whether every node is
 * still Ready with a fresh Lease. Optionally, pods on the simulated nodes, timed to Running.
 */
final class SimulatedScale {

  static final String PREFIX = "sim";

  /** One renewal period: the nodes' first beats and the JIT's first compilations pass. */
  static final Duration SETTLE = Duration.ofSeconds(10);

  /** What to run: N nodes, a window of that many seconds, and pods on the nodes if any. */
  record Plan(int nodes, int seconds, String startDelay, int pods, double podRate) {}

  private SimulatedScale() {}

  static void run(Path jar, Path dir, Plan plan, Report report) throws Exception {
    try (Cluster cluster = Cluster.up(jar, dir.resolve("data"), false);
        SimulatedFleet fleet = new SimulatedFleet(cluster.client, PREFIX, plan.nodes())) {
      List<String> command =
          KeelsonProcess.command(
              jar,
              "agent",
              "--server",
              cluster.keelson.access().server().toString(),
              "--certificate-authority",
              cluster.caFile().toString(),
              "--node-name",
              PREFIX,
              "--listen",
              Cluster.freeLoopback(),
              "--simulate",
              Integer.toString(plan.nodes()),
              "--simulated-start-delay",
              plan.startDelay(),
              "--data-dir",
              dir.resolve("agent").toString());
      long start = System.nanoTime();
      try (ChildProcess agent =
          ChildProcess.start(
              "keelson agent",
              command,
              Map.of("KEELSON_TOKEN", cluster.keelson.access().token()),
              dir.resolve("agent.log"))) {
        register(agent, fleet, plan.nodes(), start, report);
        Thread.sleep(SETTLE.toMillis());
        window(cluster, agent, fleet, plan, report);
        if (plan.pods() > 0) {
          pods(cluster, fleet, plan, report);
        }
      }
    }
  }

  /**
   * Waits until the agent is up and every node is Ready with a Lease, and reports both times. The
   * nodes are listed every 2 s, their Leases only once all are Ready: lists of a thousand objects
   * are load on the control plane too.
   */
  private static void register(
      ChildProcess agent, SimulatedFleet fleet, int nodes, long start, Report report)
      throws InterruptedException {
    long deadline = start + Duration.ofMinutes(10).toNanos();
    double upSeconds = -1;
    int ready = 0;
    int leases = 0;
    while (upSeconds < 0 || ready < nodes || leases < nodes) {
      if (!agent.isAlive()) {
        throw new IllegalStateException("keelson agent exited:\n" + agent.tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "after 10 min: %d of %d nodes Ready, %d Leases:%n%s",
                ready, nodes, leases, agent.tail()));
      }
      Thread.sleep(2000);
      if (upSeconds < 0 && agent.logHas("Stop with Ctrl-C.")) {
        upSeconds = seconds(start);
      }
      ready = fleet.readyNodes();
      leases = ready < nodes ? 0 : fleet.health(Instant.now()).leases();
      System.err.printf(Locale.ROOT, "simulated: %.0f s, %d nodes Ready%n", seconds(start), ready);
    }
    report.figure(
        String.format(Locale.ROOT, "keelson agent --simulate %,d: started (all registered)", nodes),
        String.format(Locale.ROOT, "%.1f s after its process started", upSeconds));
    report.figure(
        String.format(Locale.ROOT, "all %,d nodes Ready with a Lease", nodes),
        String.format(Locale.ROOT, "%.1f s after its process started", seconds(start)));
  }

  /** The steady window: CPU, RSS, heap of both processes, Lease renewals, the end check. */
  private static void window(
      Cluster cluster, ChildProcess agent, SimulatedFleet fleet, Plan plan, Report report)
      throws Exception {
    long keelsonPid = cluster.keelson.process().pid();
    long agentPid = agent.pid();
    long benchPid = ProcessHandle.current().pid();
    fleet.countRenewals();
    long renewalsBefore = fleet.renewals();
    ProcessUsage keelson0 = ProcessUsage.of(keelsonPid);
    ProcessUsage agent0 = ProcessUsage.of(agentPid);
    ProcessUsage bench0 = ProcessUsage.of(benchPid);
    long windowStart = System.nanoTime();
    System.err.printf(Locale.ROOT, "simulated: steady window of %d s%n", plan.seconds());
    Thread.sleep(plan.seconds() * 1000L);
    ProcessUsage keelson1 = ProcessUsage.of(keelsonPid);
    ProcessUsage agent1 = ProcessUsage.of(agentPid);
    ProcessUsage bench1 = ProcessUsage.of(benchPid);
    long renewals = fleet.renewals() - renewalsBefore;
    double windowSeconds = seconds(windowStart);
    SimulatedFleet.Health end = fleet.health(Instant.now());
    // The heap last: jcmd attaches to the JVM, and a full GC must not fall into the window.
    long keelsonUsed = JavaHeap.usedKib(keelsonPid);
    long agentUsed = JavaHeap.usedKib(agentPid);
    JavaHeap.collect(keelsonPid);
    JavaHeap.collect(agentPid);
    report.process(
        "keelson up --no-agent",
        keelson1.coresSince(keelson0),
        keelson1.rssKib(),
        keelsonUsed,
        JavaHeap.usedKib(keelsonPid));
    report.process(
        String.format(Locale.ROOT, "keelson agent --simulate %,d", plan.nodes()),
        agent1.coresSince(agent0),
        agent1.rssKib(),
        agentUsed,
        JavaHeap.usedKib(agentPid));
    report.process(
        "the benchmark (lease watch)", bench1.coresSince(bench0), bench1.rssKib(), -1, -1);
    report.figure(
        String.format(
            Locale.ROOT, "Lease renewals served to a watch, %.0f s window", windowSeconds),
        String.format(
            Locale.ROOT,
            "%,d = %.1f/s (%,d nodes every 10 s: %.1f/s)%s",
            renewals,
            renewals / windowSeconds,
            plan.nodes(),
            plan.nodes() / 10.0,
            fleet.problem() == null ? "" : "; " + fleet.problem()));
    report.figure(
        "at the end: nodes Ready; Leases renewed within 40 s",
        String.format(
            Locale.ROOT,
            "%,d of %,d; %,d of %,d (oldest renewal %.1f s ago)",
            end.ready(),
            plan.nodes(),
            end.fresh(),
            plan.nodes(),
            end.oldestRenewal().toMillis() / 1000.0));
  }

  /** Pods bound to the simulated nodes round-robin, timed to Running and Ready, then deleted. */
  private static void pods(Cluster cluster, SimulatedFleet fleet, Plan plan, Report report)
      throws InterruptedException {
    System.err.printf(Locale.ROOT, "simulated: %d pods at %s/s%n", plan.pods(), plan.podRate());
    try (PodStarts starts = new PodStarts(cluster.client, "simulated")) {
      Duration timeout = Duration.ofMinutes(2);
      PodStarts.Result result = starts.run(fleet.nodeNames(), plan.pods(), plan.podRate(), timeout);
      String notes =
          DockerPodStart.notes(result, plan.podRate()) + ", start delay " + plan.startDelay();
      report.latency("create → phase Running (simulated)", result.running(), notes);
      report.latency("create → Ready True (simulated)", result.ready(), notes);
      double gone = starts.deleteAll(timeout);
      report.figure(
          "delete " + result.created() + " simulated pods (one request) → gone from the API",
          String.format(Locale.ROOT, "%.1f s", gone));
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
