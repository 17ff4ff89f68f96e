package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.e2e.agent.Cluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Deployment controller (with the ReplicaSet controller under it) against a real control plane,
 * on three simulated nodes placed by a stand-in for the scheduler: a rolling update keeps replicas
 * - maxUnavailable pods serving at every instant and ends on the new template; a rollback as
 * kubectl does it brings back the previous ReplicaSet; Recreate never runs old and new pods
 * together; revisionHistoryLimit prunes old ReplicaSets.
 */
class DeploymentIT {

  static final String V1 = "keelson/busybox:1";
  static final String V2 = "keelson/busybox:2";
  static final String V3 = "keelson/busybox:3";

  @TempDir static Path dir;
  static Cluster cluster;
  static List<String> nodes;
  StandInBinder binder;
  String ns;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    cluster.controllers(s -> s);
    String prefix = Cluster.uniqueNode("dp");
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

  void create(String name, int replicas, String strategy, Integer historyLimit) {
    String yaml =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s}
        spec:
          replicas: %d
          %s
          strategy: %s
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers: [{name: main, image: "%s", command: [sleep, "3600"]}]
        """
            .formatted(
                name,
                replicas,
                historyLimit == null ? "" : "revisionHistoryLimit: " + historyLimit,
                strategy,
                name,
                name,
                V1);
    cluster
        .client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(Workloads.parse(yaml, Deployment.class))
        .create();
  }

  Deployment get(String name) {
    return cluster.client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  /** As kubectl set image: a patch of the template (no resourceVersion, so no conflict). */
  void setImage(String name, String image) {
    cluster
        .client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\""
                + image
                + "\"}]}}}}");
  }

  /** What kubectl rollout status waits for: observed, updated, no old pods, all available. */
  void awaitRolledOut(String name, int replicas) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Deployment d = get(name);
              assertThat(d.getStatus()).isNotNull();
              assertThat(d.getStatus().getObservedGeneration())
                  .isGreaterThanOrEqualTo(d.getMetadata().getGeneration());
              assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(replicas);
              assertThat(d.getStatus().getReplicas()).isEqualTo(replicas);
              assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(replicas);
            });
  }

  List<ReplicaSet> replicaSets(String name) {
    String uid = get(name).getMetadata().getUid();
    return cluster
        .client
        .apps()
        .replicaSets()
        .inNamespace(ns)
        .withLabel("app", name)
        .list()
        .getItems()
        .stream()
        .filter(
            rs ->
                rs.getMetadata().getOwnerReferences() != null
                    && rs.getMetadata().getOwnerReferences().stream()
                        .anyMatch(
                            o -> uid.equals(o.getUid()) && Boolean.TRUE.equals(o.getController())))
        .toList();
  }

  static long revision(ReplicaSet rs) {
    return Long.parseLong(
        rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
  }

  /** Deployment annotations kubectl keeps on a rollback (the rest comes from the ReplicaSet). */
  static final Set<String> KEPT_ON_ROLLBACK =
      Set.of(
          "kubectl.kubernetes.io/last-applied-configuration",
          "deployment.kubernetes.io/revision",
          "deployment.kubernetes.io/revision-history",
          "deployment.kubernetes.io/desired-replicas",
          "deployment.kubernetes.io/max-replicas",
          "deprecated.deployment.rollback.to");

  /** kubectl's getDeploymentPatch: a JSON patch replacing the template and the annotations. */
  static ArrayNode undoPatch(Deployment d, ReplicaSet to) {
    ObjectNode template = Json.mapper().valueToTree(to.getSpec().getTemplate());
    ((ObjectNode) template.path("metadata").path("labels")).remove("pod-template-hash");
    ObjectNode annotations = Json.object();
    d.getMetadata()
        .getAnnotations()
        .forEach(
            (k, v) -> {
              if (KEPT_ON_ROLLBACK.contains(k)) {
                annotations.put(k, v);
              }
            });
    to.getMetadata()
        .getAnnotations()
        .forEach(
            (k, v) -> {
              if (!KEPT_ON_ROLLBACK.contains(k)) {
                annotations.put(k, v);
              }
            });
    ArrayNode patch = Json.mapper().createArrayNode();
    patch.addObject().put("op", "replace").put("path", "/spec/template").set("value", template);
    patch
        .addObject()
        .put("op", "replace")
        .put("path", "/metadata/annotations")
        .set("value", annotations);
    return patch;
  }

  Set<String> activeImages() {
    return Workloads.active(cluster.client, ns).stream()
        .map(Workloads::image)
        .collect(Collectors.toSet());
  }

  @Test
  void aRollingUpdateKeepsEnoughPodsServingAndEndsOnTheNewTemplate() throws Exception {
    namespace("dp-rolling");
    create(
        "web", 4, "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}", null);
    awaitRolledOut("web", 4);
    ReplicaSet first = replicaSets("web").get(0);
    String hash = first.getMetadata().getLabels().get("pod-template-hash");
    assertThat(first.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(first.getSpec().getSelector().getMatchLabels())
        .containsEntry("pod-template-hash", hash);
    assertThat(first.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("pod-template-hash", hash);
    assertThat(first.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "1")
        .containsEntry("deployment.kubernetes.io/desired-replicas", "4")
        .containsEntry("deployment.kubernetes.io/max-replicas", "5");

    AtomicInteger fewestServing = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger mostPods = new AtomicInteger();
    AtomicBoolean started = new AtomicBoolean();
    try (WatchedPods pods =
        new WatchedPods(
            cluster,
            ns,
            all -> {
              if (started.get()) {
                fewestServing.accumulateAndGet(
                    (int) all.stream().filter(WatchedPods::serving).count(), Math::min);
                mostPods.accumulateAndGet(
                    (int)
                        all.stream()
                            .filter(p -> !p.path("metadata").hasNonNull("deletionTimestamp"))
                            .count(),
                    Math::max);
              }
            })) {
      await().atMost(Duration.ofSeconds(10)).until(() -> pods.serving() == 4);
      started.set(true);
      setImage("web", V2);
      awaitRolledOut("web", 4);
      await().atMost(Duration.ofSeconds(30)).until(() -> activeImages().equals(Set.of(V2)));
    }
    // maxUnavailable 1 of 4: never fewer than 3 serving; maxSurge 1: never more than 5 pods
    assertThat(fewestServing.get()).isGreaterThanOrEqualTo(3).isLessThan(Integer.MAX_VALUE);
    assertThat(mostPods.get()).isLessThanOrEqualTo(5);

    Deployment d = get("web");
    assertThat(d.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "2");
    assertThat(d.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Progressing");
              assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable");
            })
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Available");
              assertThat(c.getReason()).isEqualTo("MinimumReplicasAvailable");
            });
    List<ReplicaSet> sets = replicaSets("web");
    assertThat(sets).hasSize(2);
    ReplicaSet newest =
        sets.stream().max(Comparator.comparingLong(DeploymentIT::revision)).orElseThrow();
    assertThat(newest.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(V2);
    assertThat(newest.getSpec().getReplicas()).isEqualTo(4);
    assertThat(
            sets.stream()
                .filter(rs -> rs != newest)
                .findFirst()
                .orElseThrow()
                .getSpec()
                .getReplicas())
        .isZero();
    List<String> scaling =
        cluster.client.v1().events().inNamespace(ns).list().getItems().stream()
            .filter(e -> "ScalingReplicaSet".equals(e.getReason()))
            .map(Event::getMessage)
            .toList();
    assertThat(scaling)
        .contains("Scaled up replica set " + first.getMetadata().getName() + " from 0 to 4")
        .anyMatch(
            m ->
                m.startsWith(
                    "Scaled up replica set " + newest.getMetadata().getName() + " from 0 to "))
        .anyMatch(
            m ->
                m.startsWith(
                    "Scaled down replica set " + first.getMetadata().getName() + " from 4 to "));
  }

  @Test
  void aRollbackAsKubectlDoesItBringsBackThePreviousReplicaSet() {
    namespace("dp-undo");
    create("app", 2, "{type: RollingUpdate}", null);
    awaitRolledOut("app", 2);
    setImage("app", V2);
    awaitRolledOut("app", 2);
    assertThat(replicaSets("app")).hasSize(2);

    // kubectl rollout undo: the ReplicaSets the selector finds and the deployment controls, the one
    // of the second-highest revision, its template (without the hash label) patched back
    ReplicaSet previous =
        replicaSets("app").stream()
            .sorted(Comparator.comparingLong(DeploymentIT::revision).reversed())
            .toList()
            .get(1);
    cluster
        .client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("app")
        .patch(PatchContext.of(PatchType.JSON), Json.text(undoPatch(get("app"), previous)));

    awaitRolledOut("app", 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> activeImages().equals(Set.of(V1)));
    List<ReplicaSet> after = replicaSets("app");
    assertThat(after).hasSize(2);
    ReplicaSet restored =
        after.stream()
            .filter(rs -> rs.getMetadata().getUid().equals(previous.getMetadata().getUid()))
            .findFirst()
            .orElseThrow();
    assertThat(restored.getSpec().getReplicas()).isEqualTo(2);
    assertThat(restored.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "3")
        .containsEntry("deployment.kubernetes.io/revision-history", "1");
    assertThat(get("app").getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "3");
  }

  @Test
  void recreateNeverRunsOldAndNewPodsTogether() throws Exception {
    namespace("dp-recreate");
    create("batch", 3, "{type: Recreate}", null);
    awaitRolledOut("batch", 3);
    Set<String> mixed = ConcurrentHashMap.newKeySet();
    AtomicBoolean sawNew = new AtomicBoolean();
    try (WatchedPods pods =
        new WatchedPods(
            cluster,
            ns,
            all -> {
              Set<String> images = all.stream().map(WatchedPods::image).collect(Collectors.toSet());
              if (images.size() > 1) {
                mixed.addAll(images);
              }
              if (images.contains(V2)) {
                sawNew.set(true);
              }
            })) {
      await().atMost(Duration.ofSeconds(10)).until(() -> pods.serving() == 3);
      setImage("batch", V2);
      awaitRolledOut("batch", 3);
      await().atMost(Duration.ofSeconds(30)).until(() -> activeImages().equals(Set.of(V2)));
    }
    assertThat(sawNew).isTrue();
    // a pod of the old template, even one being deleted, never overlapped one of the new
    assertThat(mixed).isEmpty();
  }

  @Test
  void revisionHistoryLimitPrunesTheOldestReplicaSets() {
    namespace("dp-history");
    create("hist", 1, "{type: RollingUpdate}", 1);
    awaitRolledOut("hist", 1);
    for (String image : List.of(V2, V3)) {
      setImage("hist", image);
      awaitRolledOut("hist", 1);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(replicaSets("hist"))
                    .extracting(DeploymentIT::revision)
                    .containsExactlyInAnyOrder(2L, 3L));
    await().atMost(Duration.ofSeconds(30)).until(() -> activeImages().equals(Set.of(V3)));
  }

  @Test
  void scalingInTheMiddleOfARolloutIsSharedInProportion() {
    namespace("dp-proportional");
    create(
        "prop", 4, "{type: RollingUpdate, rollingUpdate: {maxSurge: 2, maxUnavailable: 0}}", null);
    awaitRolledOut("prop", 4);
    // new pods that never become ready keep the rollout half-way
    cluster
        .client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("prop")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"keelson/missing:1\"}]}}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        replicaSets("prop").stream()
                            .mapToInt(rs -> rs.getSpec().getReplicas())
                            .sum())
                    .isEqualTo(6));
    cluster.client.apps().deployments().inNamespace(ns).withName("prop").scale(8);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<ReplicaSet> sets = replicaSets("prop");
              // old 4 and new 2 (of 4 + surge 2) grow to 8 + 2 = 10 in proportion: 7 and 3
              assertThat(sets)
                  .extracting(
                      rs ->
                          rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()
                              + "="
                              + rs.getSpec().getReplicas())
                  .containsExactlyInAnyOrder(V1 + "=7", "keelson/missing:1=3");
              assertThat(sets)
                  .allSatisfy(
                      rs ->
                          assertThat(rs.getMetadata().getAnnotations())
                              .containsEntry("deployment.kubernetes.io/desired-replicas", "8"));
            });
  }
}
