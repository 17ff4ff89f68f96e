package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node agent on the real Docker engine against a real API: its Node and Lease, and pods that
 * run as containers sharing the pod's network and volumes.
 */
class NodeAgentIT {

  @TempDir static Path dir;
  static Cluster cluster;
  static AgentProcess agent;
  static String node;

  @BeforeAll
  static void start() throws Exception {
    Engine.require();
    cluster = Cluster.start(dir);
    node = Cluster.uniqueNode("agent");
    agent = cluster.agent(node, s -> s);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.client.pods().inNamespace("default").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> cluster.client.pods().inNamespace("default").list().getItems().isEmpty());
      cluster.close();
    }
  }

  @Test
  void registersItsNodeWithCapacityAddressesFactsAndConditions() {
    Node registered = cluster.client.nodes().withName(node).get();
    assertThat(registered).isNotNull();
    assertThat(registered.getMetadata().getLabels())
        .containsEntry("kubernetes.io/hostname", node)
        .containsEntry("kubernetes.io/os", "linux");
    assertThat(registered.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
    assertThat(registered.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
    assertThat(registered.getStatus().getAddresses())
        .anySatisfy(
            a -> {
              assertThat(a.getType()).isEqualTo("InternalIP");
              assertThat(a.getAddress()).isEqualTo("127.0.0.1");
            });
    assertThat(registered.getStatus().getNodeInfo().getContainerRuntimeVersion())
        .startsWith("docker://");
    assertThat(registered.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort())
        .isEqualTo(agent.port());
    assertThat(registered.getStatus().getConditions())
        .extracting(NodeCondition::getType, NodeCondition::getStatus)
        .contains(
            org.assertj.core.groups.Tuple.tuple("Ready", "True"),
            org.assertj.core.groups.Tuple.tuple("MemoryPressure", "False"),
            org.assertj.core.groups.Tuple.tuple("DiskPressure", "False"),
            org.assertj.core.groups.Tuple.tuple("PIDPressure", "False"));
  }

  @Test
  void servesTheUsageOfItsPodsToAuthenticatedCallers() throws Exception {
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: busy}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          containers:
          - {name: spin, image: "keelson/busybox:1", command: [sh, -c, "while true; do :; done"]}
        """
            .formatted(node));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "Running".equals(Pods.phase(cluster.client, "busy")));
    // The agent's certificate is self-signed, as a kubelet's is when given none.
    javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
    trustAll.init(null, new javax.net.ssl.TrustManager[] {new TrustAnyone()}, null);
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder().sslContext(trustAll).build();
    java.net.URI summary =
        java.net.URI.create("https://127.0.0.1:" + agent.port() + "/stats/summary");
    assertThat(
            http.send(
                    java.net.http.HttpRequest.newBuilder(summary).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
    var answer =
        http.send(
            java.net.http.HttpRequest.newBuilder(summary)
                .header("Authorization", "Bearer " + cluster.token)
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    var body = dev.keelson.api.Json.mapper().readTree(answer.body());
    var busy =
        java.util.stream.StreamSupport.stream(body.path("pods").spliterator(), false)
            .filter(p -> p.path("podRef").path("name").asText().equals("busy"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(answer.body()));
    assertThat(busy.path("containers").get(0).path("name").asText()).isEqualTo("spin");
    assertThat(busy.path("memory").path("workingSetBytes").asLong()).isPositive();
    assertThat(body.path("node").path("memory").path("workingSetBytes").asLong())
        .isGreaterThanOrEqualTo(busy.path("memory").path("workingSetBytes").asLong());
  }

  @Test
  void keepsALeaseInKubeNodeLease() {
    Lease lease =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> cluster.client.leases().inNamespace("kube-node-lease").withName(node).get(),
                l -> l != null);
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(node);
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
    assertThat(lease.getMetadata().getOwnerReferences())
        .anySatisfy(o -> assertThat(o.getName()).isEqualTo(node));
  }

  @Test
  void twoContainersShareLocalhostAndAnEmptyDir() {
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: pair}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          volumes: [{name: shared, emptyDir: {}}]
          containers:
          - name: server
            image: keelson/busybox:1
            command: [sh, -c, "echo from-disk > /data/index.html; httpd -f -p 8080 -h /data"]
            volumeMounts: [{name: shared, mountPath: /data}]
          - name: client
            image: keelson/busybox:1
            command: [sh, -c, "while true; do wget -q -O /out/got http://127.0.0.1:8080/ && sleep 3600; sleep 0.2; done"]
            volumeMounts: [{name: shared, mountPath: /out}]
        """
            .formatted(node));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "Running".equals(Pods.phase(cluster.client, "pair")));
    await().atMost(Duration.ofSeconds(30)).until(() -> Pods.ready(cluster.client, "pair"));
    // The client reached the server on localhost, and wrote what it got into the shared volume,
    // where the server's container sees it.
    List<RuntimeContainer> server =
        agent
            .runtime()
            .list(Map.of(PodContainers.POD_NAME, "pair", PodContainers.CONTAINER, "server"));
    assertThat(server).hasSize(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        agent
                            .runtime()
                            .exec(
                                server.get(0).id(),
                                List.of("cat", "/data/got"),
                                Duration.ofSeconds(5))
                            .output())
                    .contains("from-disk"));
    var status = Pods.get(cluster.client, "pair").getStatus();
    assertThat(status.getPodIP()).isNotBlank();
    assertThat(status.getHostIP()).isEqualTo("127.0.0.1");
    assertThat(status.getStartTime()).isNotBlank();
    assertThat(status.getContainerStatuses())
        .allSatisfy(
            c -> {
              assertThat(c.getState().getRunning()).isNotNull();
              assertThat(c.getReady()).isTrue();
              assertThat(c.getStarted()).isTrue();
              assertThat(c.getRestartCount()).isZero();
              assertThat(c.getContainerID()).startsWith("docker://");
              assertThat(c.getImageID()).isNotBlank();
            });
  }

  /**
   * Trusts any certificate for any host name (an X509ExtendedTrustManager skips the name check).
   */
  private static final class TrustAnyone extends javax.net.ssl.X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(
        java.security.cert.X509Certificate[] c, String a, java.net.Socket s) {}

    @Override
    public void checkServerTrusted(
        java.security.cert.X509Certificate[] c, String a, java.net.Socket s) {}

    @Override
    public void checkClientTrusted(
        java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}

    @Override
    public void checkServerTrusted(
        java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}

    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return new java.security.cert.X509Certificate[0];
    }
  }
}
