package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.e2e.agent.Cluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Namespaces with the namespace and service account controllers: a new namespace gets its default
 * ServiceAccount, made again when deleted; a deleted namespace is emptied — its pod given its grace
 * period on a simulated node — and then goes.
 */
class NamespacesIT {

  @TempDir static Path dir;
  static Cluster cluster;
  static String node;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    cluster.controllers(s -> s);
    String prefix = Cluster.uniqueNode("ns");
    cluster.agent(prefix, 1, null, null, null, Map.of(), NodeLifecycleIT.FAST);
    node = prefix + "-0";
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aNamespaceHasItsDefaultServiceAccountBackAfterItIsDeleted() {
    String ns = namespace("sa");
    ServiceAccount first =
        await().atMost(Duration.ofSeconds(10)).until(() -> account(ns), a -> a != null);

    cluster.client.serviceAccounts().inNamespace(ns).withName("default").delete();

    ServiceAccount again =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> account(ns),
                a -> a != null && !a.getMetadata().getUid().equals(first.getMetadata().getUid()));
    assertThat(again.getMetadata().getName()).isEqualTo("default");
  }

  @Test
  void aDeletedNamespaceIsEmptiedThenGoes() {
    String ns = namespace("gone");
    cluster
        .client
        .configMaps()
        .inNamespace(ns)
        .resource(Manifests.parse("metadata: {name: settings}\ndata: {a: b}", ConfigMap.class))
        .create();
    cluster
        .client
        .secrets()
        .inNamespace(ns)
        .resource(Manifests.parse("metadata: {name: token}\nstringData: {a: b}", Secret.class))
        .create();
    Manifests.createPod(
        cluster.client,
        ns,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: worker}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 2
          containers:
          - {name: main, image: keelson/busybox:1, command: [sleep, "3600"]}
        """
            .formatted(node));
    await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(phase(ns, "worker")));
    await().atMost(Duration.ofSeconds(10)).until(() -> account(ns) != null);

    cluster.client.namespaces().withName(ns).delete();

    Namespace terminating = cluster.client.namespaces().withName(ns).get();
    assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> cluster.client.namespaces().withName(ns).get() == null);
    assertThat(cluster.client.configMaps().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(cluster.client.secrets().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(cluster.client.pods().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(cluster.client.serviceAccounts().inNamespace(ns).list().getItems()).isEmpty();
  }

  private static String namespace(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    cluster
        .client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  private static ServiceAccount account(String ns) {
    return cluster.client.serviceAccounts().inNamespace(ns).withName("default").get();
  }

  private static String phase(String ns, String pod) {
    var p = cluster.client.pods().inNamespace(ns).withName(pod).get();
    return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
  }
}
