package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.e2e.agent.Cluster;
import dev.keelson.nodeagent.metrics.SimulatedLoad;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The horizontal pod autoscaler against simulated nodes whose pods report the CPU their {@code
 * keelson.dev/simulated-cpu} annotation says, with the real Deployment and ReplicaSet controllers
 * and scheduler placing the pods: a Deployment of 2 pods requesting 100m each (its template carries
 * the load, so every pod reports it), an autoscaler targeting 50% of that, load of 150% scales it
 * to its maximum of 5, and once the load drops (the pods are annotated anew, as kubectl annotate
 * would, so no rollout starts) it scales back to its minimum of 2, but only after the downscale
 * stabilization window. The settings are scaled down: a 1 s sync period, a 5 s window, metrics
 * every second.
 */
@Timeout(180)
class HorizontalPodAutoscalerIT {

  private static final Duration STABILIZATION = Duration.ofSeconds(5);

  @TempDir static Path dir;
  static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    String nodes = Cluster.uniqueNode("hpa");
    cluster.agent(
        nodes, 2, 4000L, 8L << 30, 110, Map.of(), s -> s.withMetricsPeriod(Duration.ofSeconds(1)));
    cluster.controllers(s -> s.withHpa(Duration.ofSeconds(1), STABILIZATION));
    cluster.scheduler(s -> s);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void hpaScalesTwoToFiveUnderSyntheticLoadAndBackAfterStabilization() throws Exception {
    KubernetesClient client = cluster.client;
    try (ReplicaHistory replicas = new ReplicaHistory(client)) {
      client.apps().deployments().inNamespace("default").resource(deployment("150m")).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> running(client) == 2);
      client
          .autoscaling()
          .v2()
          .horizontalPodAutoscalers()
          .inNamespace("default")
          .resource(autoscaler())
          .create();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> specReplicas(client) == 5 && running(client) == 5);
      List<Integer> ups = replicas.steps();
      assertThat(ups).as("never past maxReplicas").startsWith(2).endsWith(5).isSorted();
      for (int i = 1; i < ups.size(); i++) {
        assertThat(ups.get(i))
            .as("at most doubling (or +4) per sync: %s", ups)
            .isLessThanOrEqualTo(Math.max(2 * ups.get(i - 1), 4));
      }
      assertThat(rescales(client))
          .contains(
              "New size: 5; reason: cpu resource utilization (percentage of request) above target");
      HorizontalPodAutoscaler scaledUp =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> hpa(client),
                  h ->
                      h.getStatus() != null
                          && Integer.valueOf(5).equals(h.getStatus().getCurrentReplicas()));
      assertThat(scaledUp.getStatus().getDesiredReplicas()).isEqualTo(5);
      assertThat(scaledUp.getStatus().getLastScaleTime()).isNotNull();
      assertThat(condition(scaledUp, "AbleToScale").getStatus()).isEqualTo("True");
      assertThat(condition(scaledUp, "ScalingActive").getReason()).isEqualTo("ValidMetricFound");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          hpa(client)
                              .getStatus()
                              .getCurrentMetrics()
                              .get(0)
                              .getResource()
                              .getCurrent()
                              .getAverageUtilization())
                      .isEqualTo(150));

      Instant calm = Instant.now();
      load(client, "10m");
      await().atMost(Duration.ofSeconds(60)).until(() -> specReplicas(client) < 5);
      Duration held = Duration.between(calm, Instant.now());
      // Without the window the count would drop within a sync or two; with it, only once the last
      // high recommendation (at worst a sync period and a metrics period before the load dropped)
      // is older than the window.
      assertThat(held)
          .as("the scale-down waits until the high recommendations leave the window")
          .isGreaterThanOrEqualTo(STABILIZATION.minusMillis(2000));
      await().atMost(Duration.ofSeconds(60)).until(() -> specReplicas(client) == 2);
      await().atMost(Duration.ofSeconds(30)).until(() -> pods(client).size() == 2);
      assertThat(rescales(client)).contains("New size: 2; reason: All metrics below target");
      // The pods' metrics turn low one by one, so a sync that sees some still high may recommend
      // an intermediate count (as upstream would); the count never goes back up.
      List<Integer> steps = replicas.steps();
      List<Integer> downs = steps.subList(steps.indexOf(5), steps.size());
      assertThat(downs)
          .as("down from the maximum to the minimum: %s", steps)
          .startsWith(5)
          .endsWith(2)
          .isSortedAccordingTo(Comparator.reverseOrder());
      HorizontalPodAutoscaler scaledDown =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> hpa(client),
                  h -> Integer.valueOf(2).equals(h.getStatus().getCurrentReplicas()));
      assertThat(condition(scaledDown, "ScalingLimited").getReason())
          .isIn("TooFewReplicas", "DesiredWithinRange");
    }
  }

  /** A Deployment of 2 pods, each created by its ReplicaSet reporting {@code cpu} of load. */
  private static Deployment deployment(String cpu) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .addToAnnotations(SimulatedLoad.ANNOTATION, cpu)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("web:1")
        .withNewResources()
        .addToRequests("cpu", new Quantity("100m"))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static HorizontalPodAutoscaler autoscaler() {
    return new HorizontalPodAutoscalerBuilder()
        .withNewMetadata()
        .withName("web")
        .endMetadata()
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName("web")
        .endScaleTargetRef()
        .withMinReplicas(2)
        .withMaxReplicas(5)
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(50)
        .endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }

  /** The Deployment's pods that are not being deleted and run (so they report metrics). */
  private static long running(KubernetesClient client) {
    return pods(client).stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .count();
  }

  private static int specReplicas(KubernetesClient client) {
    return client
        .apps()
        .deployments()
        .inNamespace("default")
        .withName("web")
        .get()
        .getSpec()
        .getReplicas();
  }

  private static HorizontalPodAutoscaler hpa(KubernetesClient client) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace("default")
        .withName("web")
        .get();
  }

  private static HorizontalPodAutoscalerCondition condition(
      HorizontalPodAutoscaler hpa, String type) {
    return hpa.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  /** The messages of the autoscaler's SuccessfulRescale events. */
  private static List<String> rescales(KubernetesClient client) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "HorizontalPodAutoscaler".equals(e.getInvolvedObject().getKind()))
        .filter(e -> "SuccessfulRescale".equals(e.getReason()))
        .filter(e -> e.getSource() != null)
        .filter(e -> "horizontal-pod-autoscaler".equals(e.getSource().getComponent()))
        .map(Event::getMessage)
        .toList();
  }

  /** The Deployment's pods that are not being deleted. */
  private static List<Pod> pods(KubernetesClient client) {
    return client.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /** Every present pod of the Deployment reports {@code cpu} from now on, as kubectl annotate. */
  private static void load(KubernetesClient client, String cpu) {
    for (Pod pod : pods(client)) {
      client
          .pods()
          .inNamespace("default")
          .withName(pod.getMetadata().getName())
          .edit(
              p -> {
                p.getMetadata().getAnnotations().put(SimulatedLoad.ANNOTATION, cpu);
                return p;
              });
    }
  }

  /**
   * The Deployment's spec.replicas, each value once when it changes, read every 100 ms (a tenth of
   * the autoscaler's sync period, so no step goes unseen): the steps the autoscaler took.
   */
  static final class ReplicaHistory implements AutoCloseable {
    private final KubernetesClient client;
    private final List<Integer> history = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    ReplicaHistory(KubernetesClient client) {
      this.client = client;
      timer.scheduleWithFixedDelay(this::read, 0, 100, TimeUnit.MILLISECONDS);
    }

    List<Integer> steps() {
      return List.copyOf(history);
    }

    private void read() {
      try {
        Deployment deployment =
            client.apps().deployments().inNamespace("default").withName("web").get();
        Integer replicas = deployment == null ? null : deployment.getSpec().getReplicas();
        if (replicas != null
            && (history.isEmpty() || !history.get(history.size() - 1).equals(replicas))) {
          history.add(replicas);
        }
      } catch (RuntimeException e) {
        // The next read tries again.
      }
    }

    @Override
    public void close() throws InterruptedException {
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
