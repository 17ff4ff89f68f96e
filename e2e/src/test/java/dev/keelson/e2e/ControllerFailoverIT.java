package dev.keelson.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller manager in processes of its own ({@code keelson controllers}) beside {@code
 * keelson up --no-controllers}, with simulated nodes: of two running at once only one acts, and the
 * leader killed with SIGKILL in the middle of a rollout is replaced by the other, which finishes
 * the rollout with not one pod more than the rollout needs.
 */
class ControllerFailoverIT {

  private static final String NAMESPACE = "default";

  @TempDir Path dataDir;
  private final List<KeelsonProcess> processes = new ArrayList<>();
  private KubernetesClient client;
  private int kafkaPort;
  private Watch watch;
  private final Set<String> podsCreated = ConcurrentHashMap.newKeySet();
  private final Map<String, Pod> live = new ConcurrentHashMap<>();
  private final AtomicInteger mostLive = new AtomicInteger();

  @BeforeEach
  void up() throws Exception {
    kafkaPort = KeelsonProcess.freePort();
    KeelsonProcess keelson =
        started(
            KeelsonProcess.start(
                "up",
                "--no-agent",
                "--no-controllers",
                "--data-dir",
                dataDir.toString(),
                "--kafka-listen",
                "127.0.0.1:" + kafkaPort,
                "--health-listen",
                "127.0.0.1:" + KeelsonProcess.freePort(),
                "--listen",
                "127.0.0.1:" + KeelsonProcess.freePort()));
    assertThat(keelson.awaitLine("Stop with Ctrl-C.", Duration.ofMinutes(3)))
        .as(keelson.output())
        .isTrue();
    Config config = Config.fromKubeconfig(dataDir.resolve("kubeconfig").toFile());
    client = new KubernetesClientBuilder().withConfig(config).build();
    String node = "failover-" + UUID.randomUUID().toString().substring(0, 6);
    KeelsonProcess agent =
        started(
            KeelsonProcess.start(
                "agent",
                "--server",
                config.getMasterUrl(),
                "--token",
                adminToken(),
                "--certificate-authority",
                dataDir.resolve("pki/ca.crt").toString(),
                "--simulate",
                "3",
                "--simulated-start-delay",
                "200ms",
                "--node-name",
                node,
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                dataDir.resolve("agent").toString()));
    await()
        .atMost(Duration.ofSeconds(60))
        .alias("three simulated nodes registered")
        .until(
            () ->
                client.nodes().list().getItems().stream()
                        .filter(n -> n.getMetadata().getName().startsWith(node))
                        .count()
                    == 3);
    watch =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    String name = pod.getMetadata().getName();
                    if (action == Action.ADDED) {
                      podsCreated.add(name);
                    }
                    if (action == Action.DELETED
                        || pod.getMetadata().getDeletionTimestamp() != null) {
                      live.remove(name);
                    } else {
                      live.put(name, pod);
                      mostLive.accumulateAndGet(live.size(), Math::max);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  @AfterEach
  void down() {
    if (watch != null) {
      watch.close();
    }
    if (client != null) {
      client.close();
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }

  /** The admin token keelson up wrote into its kubeconfig. */
  private String adminToken() throws java.io.IOException {
    java.util.regex.Matcher token =
        java.util.regex.Pattern.compile("token: *\"?([^\"\\s]+)")
            .matcher(java.nio.file.Files.readString(dataDir.resolve("kubeconfig")));
    assertThat(token.find()).as("a token in the kubeconfig").isTrue();
    return token.group(1);
  }

  private KeelsonProcess started(KeelsonProcess process) {
    processes.add(process);
    return process;
  }

  private KeelsonProcess controllers() throws Exception {
    KeelsonProcess process =
        started(
            KeelsonProcess.start(
                "controllers",
                "--kafka",
                "127.0.0.1:" + kafkaPort,
                "--leader-elect-lease-duration",
                "3s",
                "--leader-elect-renew-deadline",
                "2s",
                "--leader-elect-retry-period",
                "500ms"));
    assertThat(process.awaitLine("is running as", Duration.ofMinutes(2)))
        .as(process.output())
        .isTrue();
    return process;
  }

  private String holder() {
    var lease =
        client.leases().inNamespace("kube-system").withName("keelson-controller-manager").get();
    return lease == null ? "" : lease.getSpec().getHolderIdentity();
  }

  private static String instance(KeelsonProcess process) {
    String out = process.output();
    int at = out.indexOf("is running as ") + "is running as ".length();
    return out.substring(at, out.indexOf(' ', at));
  }

  private Deployment deployment(int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewStrategy()
        .withNewRollingUpdate()
        .withNewMaxSurge(1)
        .withNewMaxUnavailable(0)
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private boolean rolledOut(int replicas, String image) {
    Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName("web").get();
    if (d == null || d.getStatus() == null) {
      return false;
    }
    var s = d.getStatus();
    boolean statusDone =
        d.getMetadata().getGeneration().equals(s.getObservedGeneration())
            && Integer.valueOf(replicas).equals(s.getUpdatedReplicas())
            && Integer.valueOf(replicas).equals(s.getAvailableReplicas())
            && Integer.valueOf(replicas).equals(s.getReplicas());
    return statusDone
        && live.size() == replicas
        && live.values().stream()
            .allMatch(p -> image.equals(p.getSpec().getContainers().get(0).getImage()));
  }

  @Test
  void ofTwoRunningControllerManagersOnlyOneActs() throws Exception {
    KeelsonProcess a = controllers();
    KeelsonProcess b = controllers();
    await().atMost(Duration.ofSeconds(30)).until(() -> !holder().isEmpty());
    assertThat(holder()).isIn(instance(a), instance(b));
    client
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .resource(deployment(10, "keelson/busybox:1"))
        .create();
    await().atMost(Duration.ofSeconds(90)).until(() -> rolledOut(10, "keelson/busybox:1"));
    // Both acting would have made pods twice over (their names are generated).
    assertThat(podsCreated).hasSize(10);
    assertThat(client.apps().replicaSets().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
  }

  @Test
  void aLeaderKilledMidRolloutIsReplacedAndTheRolloutFinishesWithNoExtraPods() throws Exception {
    KeelsonProcess first = controllers();
    await().atMost(Duration.ofSeconds(30)).until(() -> holder().equals(instance(first)));
    KeelsonProcess second = controllers();
    client
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .resource(deployment(6, "keelson/busybox:1"))
        .create();
    await().atMost(Duration.ofSeconds(90)).until(() -> rolledOut(6, "keelson/busybox:1"));
    assertThat(podsCreated).hasSize(6);

    client
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName("web")
        .edit(d -> deployment(6, "keelson/busybox:2"));
    // Mid-rollout: some pods of the new template exist, not all.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                live.values().stream()
                        .filter(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":2"))
                        .count()
                    >= 1);
    first.process().destroyForcibly().waitFor();
    await().atMost(Duration.ofSeconds(30)).until(() -> holder().equals(instance(second)));
    // A restarted process joins as the standby.
    controllers();
    await().atMost(Duration.ofSeconds(120)).until(() -> rolledOut(6, "keelson/busybox:2"));
    // Six pods of each template, each made once; never more than replicas + maxSurge at a time.
    assertThat(podsCreated).hasSize(12);
    assertThat(mostLive.get()).isLessThanOrEqualTo(7);
  }
}
