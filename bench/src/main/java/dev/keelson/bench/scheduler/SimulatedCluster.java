package dev.keelson.bench.scheduler;

import dev.keelson.bench.api.ChildProcess;
import dev.keelson.bench.api.KeelsonProcess;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cluster of parts two and three: {@code keelson up --no-agent} with its controllers and
 * scheduler in-process, and {@code keelson agent --simulate N} as a second process whose nodes (8
 * cores, 32Gi, 110 pods each, like part one's) run any image by pretending.
 */
final class SimulatedCluster implements AutoCloseable {

  static final String PREFIX = "sim";

  final Cluster cluster;
  final ChildProcess agent;
  final int nodes;

  private SimulatedCluster(Cluster cluster, ChildProcess agent, int nodes) {
    this.cluster = cluster;
    this.agent = agent;
    this.nodes = nodes;
  }

  /** Starts both and waits until every node is Ready; reports how long that took. */
  static SimulatedCluster start(
      Path jar, Path dir, int nodes, String metricsPeriod, Duration timeout, Report report)
      throws Exception {
    Cluster cluster = Cluster.up(jar, dir.resolve("data"), List.of());
    ChildProcess agent = null;
    try {
      cluster.namespace(BenchPods.NAMESPACE);
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
              Integer.toString(nodes),
              "--cpu",
              "8",
              "--memory",
              "32Gi",
              "--max-pods",
              "110",
              "--data-dir",
              dir.resolve("agent").toString(),
              "--metrics-period",
              metricsPeriod);
      long start = System.nanoTime();
      agent =
          ChildProcess.start(
              "keelson agent",
              command,
              Map.of("KEELSON_TOKEN", cluster.keelson.access().token()),
              dir.resolve("agent.log"));
      SimulatedCluster simulated = new SimulatedCluster(cluster, agent, nodes);
      simulated.awaitReady(start, timeout, metricsPeriod, report);
      return simulated;
    } catch (Exception | Error e) {
      if (agent != null) {
        agent.close();
      }
      cluster.close();
      throw e;
    }
  }

  /** Lists the nodes every 2 s (a list of thousands is load too) until all are Ready. */
  private void awaitReady(long start, Duration timeout, String metricsPeriod, Report report)
      throws InterruptedException {
    long deadline = start + timeout.toNanos();
    int ready = 0;
    while (ready < nodes) {
      if (!agent.isAlive()) {
        throw new IllegalStateException("keelson agent exited:\n" + agent.tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "after %s: %,d of %,d simulated nodes Ready:%n%s",
                SchedulerBench.format(timeout),
                ready,
                nodes,
                agent.tail()));
      }
      Thread.sleep(2000);
      ready = readyNodes();
      System.err.printf(Locale.ROOT, "simulated: %,d of %,d nodes Ready%n", ready, nodes);
    }
    report.figure(
        String.format(
            Locale.ROOT,
            "2. keelson agent --simulate %,d --metrics-period %s: all nodes Ready",
            nodes,
            metricsPeriod),
        String.format(
            Locale.ROOT, "%.1f s after its process started", (System.nanoTime() - start) / 1e9));
  }

  private int readyNodes() {
    int ready = 0;
    for (Node node :
        cluster.client.nodes().withLabel("node.keelson.dev/simulated", "true").list().getItems()) {
      if (node.getMetadata().getName().startsWith(PREFIX + "-") && FakeNodes.isReady(node)) {
        ready++;
      }
    }
    return ready;
  }

  @Override
  public void close() throws InterruptedException {
    try {
      agent.close();
    } finally {
      cluster.close();
    }
  }
}
