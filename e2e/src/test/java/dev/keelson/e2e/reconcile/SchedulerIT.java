package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.e2e.agent.Cluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler against a real API with three simulated nodes (2 cpu, 4 GiB each): pods of one
 * owner spread, node selectors, taints and tolerations, host ports and pod anti-affinity decide
 * where pods go, and they run there; a pod no node fits says why, as upstream does, until a node it
 * fits comes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerIT {

  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  static Cluster cluster;
  static String prefix;
  static List<String> nodes;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    cluster.scheduler(s -> s);
    prefix = Cluster.uniqueNode("sched");
    cluster.agent(prefix, 3, 2000L, 4L << 30, 110, Map.of(), s -> s);
    nodes = List.of(prefix + "-0", prefix + "-1", prefix + "-2");
    await().atMost(WAIT).until(() -> nodes.stream().allMatch(SchedulerIT::ready));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void removePods() {
    cluster.client.pods().inNamespace("default").withGracePeriod(1).delete();
    await()
        .atMost(WAIT)
        .until(() -> cluster.client.pods().inNamespace("default").list().getItems().isEmpty());
  }

  @Test
  @Order(1)
  void podsOfOneOwnerSpreadOnePerNodeAndRun() {
    String owner = "web-" + UUID.randomUUID().toString().substring(0, 5);
    for (int i = 0; i < 3; i++) {
      create(
          "web-" + i,
          "100m",
          p ->
              p.editMetadata()
                  .addToLabels("app", "web")
                  .addNewOwnerReference()
                  .withApiVersion("apps/v1")
                  .withKind("ReplicaSet")
                  .withName(owner)
                  .withUid(UUID.randomUUID().toString())
                  .withController(true)
                  .endOwnerReference()
                  .endMetadata());
    }
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      String name = "web-" + i;
      awaitRunning(name);
      Pod pod = get(name);
      used.add(pod.getSpec().getNodeName());
      assertThat(condition(pod, "PodScheduled"))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
      String node = pod.getSpec().getNodeName();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  event(name, "Scheduled")
                      .filter(
                          e ->
                              e.getMessage()
                                  .equals("Successfully assigned default/" + name + " to " + node))
                      .filter(e -> "Normal".equals(e.getType()))
                      .filter(e -> "default-scheduler".equals(e.getSource().getComponent()))
                      .isPresent());
    }
    assertThat(used).containsExactlyInAnyOrderElementsOf(nodes);
  }

  @Test
  @Order(2)
  void aNodeSelectorPicksTheNodeAndALabelAddedLaterLetsAWaitingPodIn() {
    create(
        "pinned",
        "100m",
        p -> p.editSpec().addToNodeSelector("kubernetes.io/hostname", nodes.get(1)).endSpec());
    awaitRunning("pinned");
    assertThat(get("pinned").getSpec().getNodeName()).isEqualTo(nodes.get(1));

    create("wants-nvme", "100m", p -> p.editSpec().addToNodeSelector("disk", "nvme").endSpec());
    awaitUnschedulable(
        "wants-nvme",
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
    label(nodes.get(2), "disk", "nvme");
    awaitRunning("wants-nvme");
    assertThat(get("wants-nvme").getSpec().getNodeName()).isEqualTo(nodes.get(2));
  }

  @Test
  @Order(3)
  void aTaintKeepsPodsOffUnlessTheyTolerateIt() {
    String node = nodes.get(0);
    taint(node, true);
    try {
      UnaryOperator<PodBuilder> onNode =
          p -> p.editSpec().addToNodeSelector("kubernetes.io/hostname", node).endSpec();
      create("intolerant", "100m", onNode);
      awaitUnschedulable(
          "intolerant",
          "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra},"
              + " 2 node(s) didn't match Pod's node affinity/selector.");
      create(
          "tolerant",
          "100m",
          p ->
              onNode
                  .apply(p)
                  .editSpec()
                  .addToTolerations(
                      new TolerationBuilder()
                          .withKey("dedicated")
                          .withOperator("Equal")
                          .withValue("infra")
                          .withEffect("NoSchedule")
                          .build())
                  .endSpec());
      awaitRunning("tolerant");
      assertThat(get("tolerant").getSpec().getNodeName()).isEqualTo(node);
      assertThat(get("intolerant").getSpec().getNodeName()).isNull();
    } finally {
      taint(node, false);
    }
    // Without the taint the waiting pod goes there.
    awaitRunning("intolerant");
    assertThat(get("intolerant").getSpec().getNodeName()).isEqualTo(node);
  }

  @Test
  @Order(4)
  void aTakenHostPortKeepsASecondPodOffTheNodeUntilTheFirstGoes() {
    String node = nodes.get(1);
    UnaryOperator<PodBuilder> portOnNode =
        p ->
            p.editSpec()
                .addToNodeSelector("kubernetes.io/hostname", node)
                .editFirstContainer()
                .addNewPort()
                .withContainerPort(80)
                .withHostPort(18080)
                .endPort()
                .endContainer()
                .endSpec();
    create("port-a", "100m", portOnNode);
    awaitRunning("port-a");
    create("port-b", "100m", portOnNode);
    awaitUnschedulable(
        "port-b",
        "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports,"
            + " 2 node(s) didn't match Pod's node affinity/selector.");
    cluster.client.pods().inNamespace("default").withName("port-a").withGracePeriod(1).delete();
    awaitRunning("port-b");
    assertThat(get("port-b").getSpec().getNodeName()).isEqualTo(node);
  }

  @Test
  @Order(5)
  void requiredAntiAffinityOnTheHostnamePutsOnePerNode() {
    UnaryOperator<PodBuilder> solo =
        p ->
            p.editMetadata()
                .addToLabels("app", "solo")
                .endMetadata()
                .editSpec()
                .withNewAffinity()
                .withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNewLabelSelector()
                .addToMatchLabels("app", "solo")
                .endLabelSelector()
                .withTopologyKey("kubernetes.io/hostname")
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .endAffinity()
                .endSpec();
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      create("solo-" + i, "100m", solo);
    }
    for (int i = 0; i < 3; i++) {
      awaitRunning("solo-" + i);
      used.add(get("solo-" + i).getSpec().getNodeName());
    }
    assertThat(used).containsExactlyInAnyOrderElementsOf(nodes);
    create("solo-3", "100m", solo);
    awaitUnschedulable(
        "solo-3", "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    String freed = get("solo-0").getSpec().getNodeName();
    cluster.client.pods().inNamespace("default").withName("solo-0").withGracePeriod(1).delete();
    awaitRunning("solo-3");
    assertThat(get("solo-3").getSpec().getNodeName()).isEqualTo(freed);
  }

  @Test
  @Order(99)
  void aPodNoNodeFitsSaysWhyUntilABiggerNodeComes() throws Exception {
    create("big", "3", p -> p);
    String message = "0/3 nodes are available: 3 Insufficient cpu.";
    awaitUnschedulable("big", message);
    await()
        .atMost(WAIT)
        .until(
            () ->
                event("big", "FailedScheduling")
                    .filter(e -> message.equals(e.getMessage()))
                    .filter(e -> "Warning".equals(e.getType()))
                    .isPresent());
    String bigger = Cluster.uniqueNode("big");
    cluster.agent(bigger, 1, 4000L, 8L << 30, 110, Map.of(), s -> s);
    awaitRunning("big");
    assertThat(get("big").getSpec().getNodeName()).isEqualTo(bigger + "-0");
  }

  private static void create(String name, String cpu, UnaryOperator<PodBuilder> more) {
    PodBuilder builder =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withTerminationGracePeriodSeconds(1L)
            .addNewContainer()
            .withName("main")
            .withImage("keelson/busybox:1")
            .withArgs("sleep", "3600")
            .withNewResources()
            .addToRequests("cpu", new Quantity(cpu))
            .addToRequests("memory", new Quantity("64Mi"))
            .endResources()
            .endContainer()
            .endSpec();
    cluster.client.pods().inNamespace("default").resource(more.apply(builder).build()).create();
  }

  private static Pod get(String name) {
    return cluster.client.pods().inNamespace("default").withName(name).get();
  }

  private static void awaitRunning(String name) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Pod pod = get(name);
              return pod != null
                  && pod.getStatus() != null
                  && "Running".equals(pod.getStatus().getPhase());
            });
  }

  private static void awaitUnschedulable(String name, String message) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(condition(get(name), "PodScheduled"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("False");
                          assertThat(c.getReason()).isEqualTo("Unschedulable");
                          assertThat(c.getMessage()).isEqualTo(message);
                        }));
    assertThat(get(name).getSpec().getNodeName()).isNull();
  }

  private static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  private static Optional<Event> event(String pod, String reason) {
    return cluster.client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> pod.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .findFirst();
  }

  private static boolean ready(String name) {
    Node node = cluster.client.nodes().withName(name).get();
    return node != null
        && node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void label(String node, String key, String value) {
    cluster
        .client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              Map<String, String> labels = new HashMap<>(n.getMetadata().getLabels());
              labels.put(key, value);
              n.getMetadata().setLabels(labels);
              return n;
            });
  }

  private static void taint(String node, boolean on) {
    cluster
        .client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getSpec()
                  .setTaints(
                      on
                          ? List.of(
                              new TaintBuilder()
                                  .withKey("dedicated")
                                  .withValue("infra")
                                  .withEffect("NoSchedule")
                                  .build())
                          : List.of());
              return n;
            });
  }
}
