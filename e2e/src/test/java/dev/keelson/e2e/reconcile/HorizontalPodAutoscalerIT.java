package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.e2e.agent.Cluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The horizontal pod autoscaler against simulated nodes whose pods report the CPU their {@code
 * keelson.dev/simulated-cpu} annotation says: a Deployment of 2 pods requesting 100m each, an
 * autoscaler targeting 50% of that, load of 150% scales it to its maximum of 5, and once the load
 * drops it scales back to its minimum of 2, but only after the downscale stabilization window. The
 * settings are scaled down: a 1 s sync period, a 5 s window, metrics every second.
 */
@Timeout(180)
class HorizontalPodAutoscalerIT {

  private static final Duration STABILIZATION = Duration.ofSeconds(5);

  @TempDir static Path dir;
  static Cluster cluster;
  static String nodes;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    nodes = Cluster.uniqueNode("hpa");
    cluster.agent(
        nodes, 2, 4000L, 8L << 30, 110, Map.of(), s -> s.withMetricsPeriod(Duration.ofSeconds(1)));
    cluster.controllers(s -> s.withHpa(Duration.ofSeconds(1), STABILIZATION));
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
    client.apps().deployments().inNamespace("default").resource(deployment()).create();
    try (ReplicaStandIn replicas = new ReplicaStandIn(client, "web", nodes, "150m")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> replicas.pods().size() == 2);
      client
          .autoscaling()
          .v2()
          .horizontalPodAutoscalers()
          .inNamespace("default")
          .resource(autoscaler())
          .create();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> specReplicas(client) == 5 && replicas.pods().size() == 5);
      List<Integer> ups = replicas.history();
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
      replicas.load("10m");
      await().atMost(Duration.ofSeconds(60)).until(() -> specReplicas(client) == 2);
      Duration held = Duration.between(calm, Instant.now());
      // Without the window the count would drop within a sync or two; with it, only once the last
      // high recommendation (at worst a sync period and a metrics period before the load dropped)
      // is older than the window.
      assertThat(held)
          .as("the scale-down waits until the high recommendations leave the window")
          .isGreaterThanOrEqualTo(STABILIZATION.minusMillis(2000));
      await().atMost(Duration.ofSeconds(30)).until(() -> replicas.pods().size() == 2);
      assertThat(rescales(client)).contains("New size: 2; reason: All metrics below target");
      assertThat(replicas.history()).as("straight back to the minimum").endsWith(5, 2);
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

  private static Deployment deployment() {
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

  /**
   * A stand-in for the ReplicaSet controller and the scheduler, which this test does without: every
   * 200 ms it creates or deletes pods of the Deployment's template until there are as many as its
   * spec.replicas, binds each to one of the simulated nodes, and annotates it with the load it is
   * to report.
   */
  static final class ReplicaStandIn implements AutoCloseable {
    private final KubernetesClient client;
    private final String deployment;
    private final String nodes;
    private final AtomicReference<String> load;
    private final AtomicInteger created = new AtomicInteger();
    private final List<Integer> history = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    ReplicaStandIn(KubernetesClient client, String deployment, String nodes, String load) {
      this.client = client;
      this.deployment = deployment;
      this.nodes = nodes;
      this.load = new AtomicReference<>(load);
      timer.scheduleWithFixedDelay(this::matchReplicas, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** The pods of the Deployment that are not being deleted, oldest first. */
    List<Pod> pods() {
      return client
          .pods()
          .inNamespace("default")
          .withLabel("app", deployment)
          .list()
          .getItems()
          .stream()
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
          .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
          .toList();
    }

    /** The counts of replicas the Deployment asked for, in order, each once when it changed. */
    List<Integer> history() {
      return List.copyOf(history);
    }

    /** Every pod, present and future, reports {@code cpu} from now on. */
    void load(String cpu) {
      load.set(cpu);
      for (Pod pod : pods()) {
        client
            .pods()
            .inNamespace("default")
            .withName(pod.getMetadata().getName())
            .edit(
                p -> {
                  p.getMetadata().getAnnotations().put("keelson.dev/simulated-cpu", cpu);
                  return p;
                });
      }
    }

    private void matchReplicas() {
      try {
        Deployment wanted =
            client.apps().deployments().inNamespace("default").withName(deployment).get();
        int replicas = wanted.getSpec().getReplicas();
        if (history.isEmpty() || history.get(history.size() - 1) != replicas) {
          history.add(replicas);
        }
        List<Pod> pods = pods();
        for (int i = pods.size(); i < replicas; i++) {
          create(wanted);
        }
        for (int i = replicas; i < pods.size(); i++) {
          client.pods().inNamespace("default").resource(pods.get(i)).withGracePeriod(0).delete();
        }
      } catch (RuntimeException e) {
        // The next round tries again.
      }
    }

    private void create(Deployment wanted) {
      int n = created.incrementAndGet();
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withName(String.format("%s-%03d", deployment, n))
              .withLabels(wanted.getSpec().getTemplate().getMetadata().getLabels())
              .addToAnnotations("keelson.dev/simulated-cpu", load.get())
              .endMetadata()
              .withSpec(wanted.getSpec().getTemplate().getSpec())
              .editSpec()
              .withNodeName(nodes + "-" + (n % 2))
              .endSpec()
              .build();
      client.pods().inNamespace("default").resource(pod).create();
    }

    @Override
    public void close() throws InterruptedException {
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
