package dev.keelson.bench.scheduler;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Part three: a Deployment of busybox pods scaled from 0 to N, timed until N replicas are ready and
 * available (with the bind rate on the way), then back to 0, timed until no pod of it is left.
 */
final class DeploymentScale {

  static final String NAME = "bench-scale";
  static final String APP_LABEL = "app";

  private DeploymentScale() {}

  static void run(SimulatedCluster simulated, int replicas, Duration timeout, Report report)
      throws Exception {
    KubernetesClient client = simulated.cluster.client;
    String label = String.format(Locale.ROOT, "3. Deployment scaled 0 → %,d", replicas);
    Map<String, String> labels = Map.of(APP_LABEL, NAME, BenchPods.CASE_LABEL, "deployment");
    client
        .apps()
        .deployments()
        .inNamespace(BenchPods.NAMESPACE)
        .resource(deployment(labels))
        .create();
    try (PodWatch watch = PodWatch.start(client, Map.of(APP_LABEL, NAME))) {
      long start = System.nanoTime();
      scale(client, replicas);
      boolean ready =
          awaitStatus(
              client,
              s ->
                  count(s.getReadyReplicas()) >= replicas
                      && count(s.getAvailableReplicas()) >= replicas,
              start + timeout.toNanos());
      Span bound = watch.bound();
      report.figure(
          label + ": → readyReplicas = availableReplicas = " + replicas,
          ready
              ? Report.seconds((System.nanoTime() - start) / 1e9)
              : String.format(
                  Locale.ROOT,
                  "not within %s: %s",
                  SchedulerBench.format(timeout),
                  describe(status(client))));
      report.figure(
          label + ": scale request → first bind → last bind",
          (bound.count() == 0 ? "-" : Report.seconds(bound.firstAfter(start)))
              + " → "
              + (bound.count() == 0 ? "-" : Report.seconds(bound.lastAfter(start)))
              + String.format(Locale.ROOT, " (%,d pods bound)", bound.count()));
      report.bindRate(label + ": pods bound/s during the scale-up", bound);
      int before = watch.present();
      long down = System.nanoTime();
      scale(client, 0);
      boolean gone = awaitNoPods(client, down + timeout.toNanos());
      report.figure(
          String.format(
              Locale.ROOT,
              "3. Deployment scaled %,d → 0 (%,d pods): → no pod of it left",
              replicas,
              before),
          before == 0
              ? "- (the scale-up made no pods)"
              : gone
                  ? Report.seconds((System.nanoTime() - down) / 1e9)
                  : String.format(
                      Locale.ROOT,
                      "not within %s: %,d pods left",
                      SchedulerBench.format(timeout),
                      watch.present()));
    } finally {
      client.apps().deployments().inNamespace(BenchPods.NAMESPACE).withName(NAME).delete();
    }
  }

  private static Deployment deployment(Map<String, String> labels) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(BenchPods.NAMESPACE)
        .endMetadata()
        .withNewSpec()
        .withReplicas(0)
        .withNewSelector()
        .addToMatchLabels(APP_LABEL, NAME)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withSpec(BenchPods.spec())
        .endTemplate()
        .endSpec()
        .build();
  }

  /** spec.replicas by a JSON merge patch, as {@code kubectl scale} would set it. */
  private static void scale(KubernetesClient client, int replicas) {
    client
        .apps()
        .deployments()
        .inNamespace(BenchPods.NAMESPACE)
        .withName(NAME)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private static boolean awaitStatus(
      KubernetesClient client, Predicate<DeploymentStatus> done, long deadlineNanos)
      throws InterruptedException {
    long nextReport = System.nanoTime() + 10_000_000_000L;
    while (!done.test(status(client))) {
      long now = System.nanoTime();
      if (now > deadlineNanos) {
        return false;
      }
      if (now > nextReport) {
        System.err.println("deployment: " + describe(status(client)));
        nextReport = now + 10_000_000_000L;
      }
      Thread.sleep(100);
    }
    return true;
  }

  /** Lists one pod of the Deployment every 100 ms until there is none. */
  private static boolean awaitNoPods(KubernetesClient client, long deadlineNanos)
      throws InterruptedException {
    while (!client
        .pods()
        .inNamespace(BenchPods.NAMESPACE)
        .withLabel(APP_LABEL, NAME)
        .list(new ListOptionsBuilder().withLimit(1L).build())
        .getItems()
        .isEmpty()) {
      if (System.nanoTime() > deadlineNanos) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private static DeploymentStatus status(KubernetesClient client) {
    Deployment d =
        client.apps().deployments().inNamespace(BenchPods.NAMESPACE).withName(NAME).get();
    return d == null || d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
  }

  private static String describe(DeploymentStatus s) {
    return String.format(
        Locale.ROOT,
        "replicas %d, updated %d, ready %d, available %d",
        count(s.getReplicas()),
        count(s.getUpdatedReplicas()),
        count(s.getReadyReplicas()),
        count(s.getAvailableReplicas()));
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }
}
