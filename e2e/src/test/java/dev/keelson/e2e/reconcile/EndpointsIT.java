package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.e2e.agent.Cluster;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoints controller against pods on a simulated node: a Service's Endpoints list its ready
 * pods at the node's address and the host port the agent published, its pods whose readiness probe
 * fails as not ready, and follow the pods and the Service as they go.
 */
class EndpointsIT {

  @TempDir static Path dir;
  static Cluster cluster;
  static String node;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    cluster.controllers(s -> s);
    String prefix = Cluster.uniqueNode("ep");
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
  void aServicesEndpointsListItsReadyAndNotReadyPodsAtTheirPublishedHostPorts() {
    String app = "web-" + UUID.randomUUID().toString().substring(0, 6);
    createPod(app + "-ready", app, "");
    // A readiness probe of a port nothing listens on: the pod runs and is never Ready.
    createPod(
        app + "-unready",
        app,
        "readinessProbe: {tcpSocket: {host: 127.0.0.1, port: 1}, periodSeconds: 1}");
    cluster
        .client
        .services()
        .inNamespace("default")
        .resource(
            Manifests.parse(
                """
                metadata: {name: %s}
                spec:
                  selector: {app: %s}
                  ports:
                  - {name: http, port: 80, targetPort: http}
                """
                    .formatted(app, app),
                Service.class))
        .create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Endpoints endpoints = endpoints(app);
              assertThat(endpoints).isNotNull();
              assertThat(ready(endpoints)).containsExactly(hostAddress(app + "-ready"));
              assertThat(notReady(endpoints)).containsExactly(hostAddress(app + "-unready"));
            });
    Endpoints endpoints = endpoints(app);
    assertThat(endpoints.getSubsets())
        .allSatisfy(
            s ->
                assertThat(s.getPorts())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.getName()).isEqualTo("http");
                          assertThat(p.getProtocol()).isEqualTo("TCP");
                        }));
    EndpointAddress address =
        endpoints.getSubsets().stream()
            .flatMap(s -> s.getAddresses().stream())
            .findFirst()
            .orElseThrow();
    assertThat(address.getNodeName()).isEqualTo(node);
    assertThat(address.getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(address.getTargetRef().getUid())
        .isEqualTo(pod(app + "-ready").getMetadata().getUid());

    cluster.client.pods().inNamespace("default").withName(app + "-ready").delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(ready(endpoints(app))).isEmpty());

    cluster.client.services().inNamespace("default").withName(app).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> endpoints(app) == null);
  }

  @Test
  void theEndpointsOfAServiceWithoutSelectorAreLeftToWhoeverWritesThem() {
    String name = "external-" + UUID.randomUUID().toString().substring(0, 6);
    cluster
        .client
        .endpoints()
        .inNamespace("default")
        .resource(
            Manifests.parse(
                """
                metadata: {name: %s}
                subsets:
                - addresses: [{ip: 192.0.2.10}]
                  ports: [{port: 5432, protocol: TCP}]
                """
                    .formatted(name),
                Endpoints.class))
        .create();
    cluster
        .client
        .services()
        .inNamespace("default")
        .resource(
            Manifests.parse(
                "metadata: {name: %s}\nspec:\n  ports: [{port: 5432}]\n".formatted(name),
                Service.class))
        .create();

    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                endpoints(name) != null
                    && ready(endpoints(name)).equals(List.of("192.0.2.10:5432")));
  }

  private static void createPod(String name, String app, String probe) {
    Manifests.createPod(
        cluster.client,
        "default",
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, labels: {app: %s}}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: keelson/busybox:1
            command: [sleep, "3600"]
            ports: [{name: http, containerPort: 8080}]
            %s
        """
            .formatted(name, app, node, probe));
  }

  /** The pod's node address and the host port the agent published for its port 8080. */
  private static String hostAddress(String pod) throws Exception {
    Pod p = pod(pod);
    String published =
        p.getMetadata().getAnnotations() == null
            ? null
            : p.getMetadata().getAnnotations().get("keelson.dev/host-ports");
    if (published == null) {
      return pod + " not published yet";
    }
    JsonNode ports = Json.mapper().readTree(published);
    assertThat(ports.get(0).path("containerPort").asInt()).isEqualTo(8080);
    return p.getStatus().getHostIP() + ":" + ports.get(0).path("hostPort").asInt();
  }

  private static Pod pod(String name) {
    return cluster.client.pods().inNamespace("default").withName(name).get();
  }

  private static Endpoints endpoints(String name) {
    return cluster.client.endpoints().inNamespace("default").withName(name).get();
  }

  private static List<String> ready(Endpoints endpoints) {
    return addresses(endpoints, true);
  }

  private static List<String> notReady(Endpoints endpoints) {
    return addresses(endpoints, false);
  }

  private static List<String> addresses(Endpoints endpoints, boolean ready) {
    if (endpoints == null || endpoints.getSubsets() == null) {
      return List.of();
    }
    List<String> all = new java.util.ArrayList<>();
    for (EndpointSubset s : endpoints.getSubsets()) {
      List<EndpointAddress> list = ready ? s.getAddresses() : s.getNotReadyAddresses();
      for (EndpointAddress a : list == null ? List.<EndpointAddress>of() : list) {
        all.add(a.getIp() + ":" + s.getPorts().get(0).getPort());
      }
    }
    return all;
  }
}
