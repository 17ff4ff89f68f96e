package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.e2e.agent.Cluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ReplicaSet controller against a real control plane, with three simulated nodes and a stand-in
 * for the scheduler: it creates and deletes pods to match spec.replicas, never creates more than
 * asked however many events its own writes cause, adopts and releases pods by their labels, deletes
 * unscheduled pods first, and counts pods available only after minReadySeconds.
 */
class ReplicaSetIT {

  @TempDir static Path dir;
  static Cluster cluster;
  static List<String> nodes;
  StandInBinder binder;
  String ns;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    cluster.controllers(s -> s);
    String prefix = Cluster.uniqueNode("rs");
    cluster.agent(prefix, 3, s -> s);
    nodes = IntStream.range(0, 3).mapToObj(i -> prefix + "-" + i).toList();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  void namespace(String prefix) {
    ns = Workloads.namespace(cluster.client, prefix);
    binder = new StandInBinder(cluster.client, cluster.server, ns, nodes);
  }

  @AfterEach
  void stopBinder() {
    if (binder != null) {
      binder.close();
    }
  }

  ReplicaSet create(String name, int replicas, int minReadySeconds) {
    String yaml =
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: %s}
        spec:
          replicas: %d
          minReadySeconds: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers: [{name: main, image: "keelson/busybox:1", command: [sleep, "3600"]}]
        """
            .formatted(name, replicas, minReadySeconds, name, name);
    return cluster
        .client
        .apps()
        .replicaSets()
        .inNamespace(ns)
        .resource(Workloads.parse(yaml, ReplicaSet.class))
        .create();
  }

  ReplicaSet get(String name) {
    return cluster.client.apps().replicaSets().inNamespace(ns).withName(name).get();
  }

  /** The ReplicaSet's status counts (0 for a count left out, as upstream leaves zeros out). */
  int ready(String name) {
    ReplicaSet rs = get(name);
    return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
        ? 0
        : rs.getStatus().getReadyReplicas();
  }

  int available(String name) {
    ReplicaSet rs = get(name);
    return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null
        ? 0
        : rs.getStatus().getAvailableReplicas();
  }

  void scale(String name, int replicas) {
    cluster.client.apps().replicaSets().inNamespace(ns).withName(name).scale(replicas);
  }

  List<Event> events(String reason) {
    return cluster.client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  @Test
  void createsPodsOwnedByTheReplicaSetThenScalesDown() {
    namespace("rs-scale");
    ReplicaSet rs = create("web", 3, 0);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ReplicaSet current = get("web");
              assertThat(current.getStatus()).isNotNull();
              assertThat(current.getStatus().getReadyReplicas()).isEqualTo(3);
              assertThat(current.getStatus().getAvailableReplicas()).isEqualTo(3);
              assertThat(current.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
              assertThat(current.getStatus().getObservedGeneration())
                  .isEqualTo(current.getMetadata().getGeneration());
            });
    List<Pod> pods = Workloads.active(cluster.client, ns);
    assertThat(pods).hasSize(3);
    for (Pod pod : pods) {
      assertThat(pod.getMetadata().getName()).startsWith("web-").hasSize("web-".length() + 5);
      OwnerReference owner = Workloads.controller(pod);
      assertThat(owner.getKind()).isEqualTo("ReplicaSet");
      assertThat(owner.getApiVersion()).isEqualTo("apps/v1");
      assertThat(owner.getUid()).isEqualTo(rs.getMetadata().getUid());
      assertThat(owner.getBlockOwnerDeletion()).isTrue();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("SuccessfulCreate"))
                    .extracting(Event::getMessage)
                    .containsExactlyInAnyOrderElementsOf(
                        pods.stream()
                            .map(p -> "Created pod: " + p.getMetadata().getName())
                            .toList()));
    assertThat(events("SuccessfulCreate").get(0).getSource().getComponent())
        .isEqualTo("replicaset-controller");

    scale("web", 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(Workloads.active(cluster.client, ns)).hasSize(1);
              assertThat(get("web").getStatus().getReplicas()).isEqualTo(1);
              assertThat(events("SuccessfulDelete")).hasSize(2);
            });
    assertThat(events("SuccessfulDelete"))
        .allSatisfy(e -> assertThat(e.getMessage()).startsWith("Deleted pod: web-"));
  }

  @Test
  void aBurstOfItsOwnEventsNeverMakesItCreateMoreThanAsked() throws Exception {
    namespace("rs-burst");
    Set<String> everCreated = ConcurrentHashMap.newKeySet();
    try (HttpWatch watch =
        new HttpWatch(
            cluster.server,
            cluster.token,
            cluster.caPem,
            "/api/v1/namespaces/" + ns + "/pods",
            (type, pod) -> everCreated.add(pod.path("metadata").path("uid").asText()))) {
      create("burst", 20, 0);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(available("burst")).isEqualTo(20));
      // every pod has been created, bound, started and reported ready: thousands of events later
      // the controller has still made exactly twenty
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(everCreated).hasSize(20));
      assertThat(cluster.client.pods().inNamespace(ns).list().getItems()).hasSize(20);
    }
  }

  @Test
  void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
    namespace("rs-adopt");
    Pod orphan =
        cluster
            .client
            .pods()
            .inNamespace(ns)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("orphan")
                    .addToLabels("app", "adopt")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("main")
                    .withImage("keelson/busybox:1")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    ReplicaSet rs = create("adopt", 2, 0);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Pod adopted = cluster.client.pods().inNamespace(ns).withName("orphan").get();
              assertThat(Workloads.controller(adopted).getUid())
                  .isEqualTo(rs.getMetadata().getUid());
              assertThat(Workloads.active(cluster.client, ns)).hasSize(2);
            });
    assertThat(orphan.getMetadata().getOwnerReferences()).isNullOrEmpty();

    cluster
        .client
        .pods()
        .inNamespace(ns)
        .withName("orphan")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"app\":\"elsewhere\"}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Pod released = cluster.client.pods().inNamespace(ns).withName("orphan").get();
              assertThat(Workloads.controller(released)).isNull();
              assertThat(
                      Workloads.active(cluster.client, ns).stream()
                          .filter(p -> Workloads.controller(p) != null))
                  .hasSize(2);
            });
  }

  @Test
  void scalingDownDeletesAnUnscheduledPodBeforeRunningOnes() {
    namespace("rs-order");
    create("order", 2, 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> ready("order") == 2);
    List<String> running =
        Workloads.active(cluster.client, ns).stream().map(p -> p.getMetadata().getName()).toList();
    binder.pause();
    scale("order", 3);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Workloads.active(cluster.client, ns).size() == 3);
    scale("order", 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        Workloads.active(cluster.client, ns).stream()
                            .map(p -> p.getMetadata().getName()))
                    .containsExactlyInAnyOrderElementsOf(running));
  }

  @Test
  void podsBecomeAvailableOnlyAfterMinReadySeconds() {
    namespace("rs-minready");
    create("slow", 2, 3);
    await().atMost(Duration.ofSeconds(30)).until(() -> ready("slow") == 2);
    assertThat(available("slow")).isLessThan(2);
    // nothing else changes now: only the controller's own requeue makes them available
    await().atMost(Duration.ofSeconds(10)).until(() -> available("slow") == 2);
  }
}
