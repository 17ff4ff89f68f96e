package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.e2e.agent.Cluster;
import dev.keelson.nodeagent.agent.AgentProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The garbage collector against a real API and log: what a delete's propagation policy does to the
 * dependents of the deleted owner. Owners are ConfigMaps and Secrets, which nothing else
 * reconciles, so every change the test sees is the collector's.
 */
class GarbageCollectorIT {

  static final String NS = "default";
  static final String HOLD = "example.com/hold";

  @TempDir static Path dir;
  static Cluster cluster;
  static KubernetesClient client;
  static String node;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    client = cluster.client;
    // Left behind while no collector ran: found when it starts, by its first pass over everything.
    ConfigMap gone = configMap("before-start-owner", List.of());
    configMap("before-start-dep", List.of(ref(gone, true)));
    client.configMaps().inNamespace(NS).withName("before-start-owner").delete();
    cluster.controllers(s -> s);
    String prefix = Cluster.uniqueNode("gc");
    AgentProcess agent =
        cluster.agent(
            prefix,
            1,
            null,
            null,
            null,
            Map.of(),
            s -> s.withPeriods(Duration.ofSeconds(1), s.leaseRenewal(), s.statusReport()));
    node = agent.nodeNames().get(0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aDependentWhoseOwnerWentBeforeTheCollectorStartedIsCollected() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.configMaps().inNamespace(NS).withName("before-start-dep").get() == null);
  }

  @Test
  void aBackgroundDeleteRemovesTheOwnerAtOnceAndThenItsDependents() {
    ConfigMap owner = configMap("bg-owner", List.of());
    OwnerReference ref = ref(owner, true);
    configMap("bg-dep-1", List.of(ref));
    secret("bg-dep-2", List.of(ref));
    pod("bg-dep-3", null, List.of(ref));

    client.configMaps().inNamespace(NS).withName("bg-owner").delete();

    assertThat(client.configMaps().inNamespace(NS).withName("bg-owner").get()).isNull();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(client.configMaps().inNamespace(NS).withName("bg-dep-1").get()).isNull();
              assertThat(client.secrets().inNamespace(NS).withName("bg-dep-2").get()).isNull();
              assertThat(client.pods().inNamespace(NS).withName("bg-dep-3").get()).isNull();
            });
  }

  @Test
  void aForegroundDeleteKeepsTheOwnerUntilItsBlockingDependentsAreGone() {
    ConfigMap owner = configMap("fg-owner", List.of());
    ConfigMap held = configMap("fg-held", List.of(ref(owner, true)), HOLD);
    configMap("fg-loose", List.of(ref(owner, false)));

    client
        .configMaps()
        .inNamespace(NS)
        .withName("fg-owner")
        .withPropagationPolicy(DeletionPropagation.FOREGROUND)
        .delete();

    // The dependents are deleted; the one a finalizer holds stays, and so its owner waits.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(client.configMaps().inNamespace(NS).withName("fg-loose").get()).isNull();
              ConfigMap dependent = client.configMaps().inNamespace(NS).withName("fg-held").get();
              assertThat(dependent.getMetadata().getDeletionTimestamp()).isNotNull();
            });
    ConfigMap waiting = client.configMaps().inNamespace(NS).withName("fg-owner").get();
    assertThat(waiting).isNotNull();
    assertThat(waiting.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(waiting.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");

    release(held);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(client.configMaps().inNamespace(NS).withName("fg-held").get()).isNull();
              assertThat(client.configMaps().inNamespace(NS).withName("fg-owner").get()).isNull();
            });
  }

  @Test
  void aForegroundDeleteGoesDownAChainAndWaitsForAPodOnANodeToStop() {
    ConfigMap top = configMap("chain-top", List.of());
    ConfigMap middle = configMap("chain-middle", List.of(ref(top, true)));
    ConfigMap bottom = configMap("chain-bottom", List.of(ref(middle, true)), HOLD);
    pod("chain-pod", node, List.of(ref(middle, true)));
    await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(phase("chain-pod")));

    client
        .configMaps()
        .inNamespace(NS)
        .withName("chain-top")
        .withPropagationPolicy(DeletionPropagation.FOREGROUND)
        .delete();

    // The middle has dependents itself, so it goes in the foreground too, and both wait.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              ConfigMap m = client.configMaps().inNamespace(NS).withName("chain-middle").get();
              assertThat(m.getMetadata().getDeletionTimestamp()).isNotNull();
              assertThat(m.getMetadata().getFinalizers()).contains("foregroundDeletion");
              ConfigMap b = client.configMaps().inNamespace(NS).withName("chain-bottom").get();
              assertThat(b.getMetadata().getDeletionTimestamp()).isNotNull();
              assertThat(client.pods().inNamespace(NS).withName("chain-pod").get()).isNull();
            });
    assertThat(client.configMaps().inNamespace(NS).withName("chain-top").get()).isNotNull();

    release(bottom);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(client.configMaps().inNamespace(NS).withName("chain-bottom").get())
                  .isNull();
              assertThat(client.configMaps().inNamespace(NS).withName("chain-middle").get())
                  .isNull();
              assertThat(client.configMaps().inNamespace(NS).withName("chain-top").get()).isNull();
            });
  }

  @Test
  void anOrphanDeleteRemovesTheOwnerAndLeavesItsDependentsWithoutTheReference() {
    ConfigMap owner = configMap("orphan-owner", List.of());
    Secret other = secret("orphan-other-owner", List.of());
    configMap("orphan-dep-1", List.of(ref(owner, true)));
    pod("orphan-dep-2", null, List.of(ref(owner, true), ref(other, false)));

    client
        .configMaps()
        .inNamespace(NS)
        .withName("orphan-owner")
        .withPropagationPolicy(DeletionPropagation.ORPHAN)
        .delete();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.configMaps().inNamespace(NS).withName("orphan-owner").get() == null);
    ConfigMap first = client.configMaps().inNamespace(NS).withName("orphan-dep-1").get();
    assertThat(first).isNotNull();
    assertThat(first.getMetadata().getOwnerReferences()).isEmpty();
    Pod second = client.pods().inNamespace(NS).withName("orphan-dep-2").get();
    assertThat(second).isNotNull();
    assertThat(second.getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getUid)
        .containsExactly(other.getMetadata().getUid());
  }

  @Test
  void anObjectWhoseOwnerIsANamesakeWithAnotherUidIsCollected() {
    configMap("namesake", List.of());
    OwnerReference stale =
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName("namesake")
            .withUid("00000000-0000-0000-0000-000000000001")
            .build();
    configMap("stale-dep", List.of(stale));
    ConfigMap survivor = configMap("survivor", List.of());
    configMap("two-owners", List.of(stale, ref(survivor, true)));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(client.configMaps().inNamespace(NS).withName("stale-dep").get()).isNull();
              // With one owner still there it stays, and loses only the reference that dangles.
              assertThat(
                      client
                          .configMaps()
                          .inNamespace(NS)
                          .withName("two-owners")
                          .get()
                          .getMetadata()
                          .getOwnerReferences())
                  .extracting(OwnerReference::getName)
                  .containsExactly("survivor");
            });
    assertThat(client.configMaps().inNamespace(NS).withName("namesake").get()).isNotNull();
  }

  private static String phase(String pod) {
    Pod p = client.pods().inNamespace(NS).withName(pod).get();
    return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  private static OwnerReference ref(HasMetadata owner, boolean blockOwnerDeletion) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withBlockOwnerDeletion(blockOwnerDeletion)
        .build();
  }

  private static ConfigMap configMap(
      String name, List<OwnerReference> owners, String... finalizers) {
    return client
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withOwnerReferences(owners)
                .withFinalizers(finalizers)
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
  }

  private static Secret secret(String name, List<OwnerReference> owners) {
    return client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withOwnerReferences(owners)
                .endMetadata()
                .addToStringData("k", "v")
                .build())
        .create();
  }

  private static Pod pod(String name, String nodeName, List<OwnerReference> owners) {
    return client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withOwnerReferences(owners)
                .endMetadata()
                .withNewSpec()
                .withNodeName(nodeName)
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer()
                .withName("main")
                .withImage("keelson/busybox:1")
                .withCommand("sleep", "3600")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  /** Lets a held dependent go: its test finalizer is removed. */
  private static void release(ConfigMap held) {
    client
        .configMaps()
        .inNamespace(NS)
        .withName(held.getMetadata().getName())
        .edit(
            c -> {
              c.getMetadata().setFinalizers(List.of());
              return c;
            });
  }
}
