package dev.keelson.bench.agent;

import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Part one: {@code keelson up} with its node agent on the Docker engine; pods created at a steady
 * rate on its node, timed to Running and to Ready; then deleted, timed until the API and Docker
 * have none of them.
 */
final class DockerPodStart {

  private DockerPodStart() {}

  static void run(Path jar, Path dir, int pods, double rate, Report report) throws Exception {
    try (Cluster cluster = Cluster.up(jar, dir.resolve("data"), true)) {
      String node = awaitReadyNode(cluster);
      System.err.printf(
          Locale.ROOT, "docker: node %s is Ready; %d pods at %s/s%n", node, pods, rate);
      try (PodStarts starts = new PodStarts(cluster.client, "docker")) {
        Duration timeout = Duration.ofMinutes(2);
        PodStarts.Result result = starts.run(List.of(node), pods, rate, timeout);
        String notes = notes(result, rate);
        report.latency("create → phase Running (Docker)", result.running(), notes);
        report.latency("create → Ready True (Docker)", result.ready(), notes);
        long deleteStart = System.nanoTime();
        double gone = starts.deleteAll(timeout);
        double containersGone = awaitContainersGone(node, starts.uids(), deleteStart, timeout);
        report.figure(
            "delete " + result.created() + " Docker pods (one request) → gone from the API",
            String.format(Locale.ROOT, "%.1f s", gone));
        report.figure(
            "delete → their containers gone (docker ps -a, label keelson.dev/node)",
            String.format(Locale.ROOT, "%.1f s", containersGone));
      }
    }
  }

  static String notes(PodStarts.Result result, double rate) {
    String notes = String.format(Locale.ROOT, "created at %s/s", rate);
    if (result.failed() > 0 || result.running().count() < result.created()) {
      notes +=
          String.format(
              Locale.ROOT,
              "; %d creates failed, %d of %d never Running",
              result.failed(),
              result.created() - result.running().count(),
              result.created());
    }
    return result.problem() == null ? notes : notes + "; " + result.problem();
  }

  /** The one node of {@code keelson up}'s own agent, once it is Ready. */
  private static String awaitReadyNode(Cluster cluster) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (Node node : cluster.client.nodes().list().getItems()) {
        if (node.getStatus() != null
            && node.getStatus().getConditions() != null
            && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
          return node.getMetadata().getName();
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "keelson up has no Ready node after 60 s:\n" + cluster.keelson.process().tail());
  }

  /**
   * Seconds from {@code start} until no container of the given pods is left on the node. Only the
   * benchmark's pods count: another {@code keelson up} on this host uses the same node name.
   */
  private static double awaitContainersGone(
      String node, Set<String> uids, long start, Duration timeout) throws InterruptedException {
    long deadline = start + timeout.toNanos();
    while (DockerCli.podUidsOnNode(node).stream().anyMatch(uids::contains)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("containers of deleted pods left after " + timeout);
      }
      Thread.sleep(200);
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
