package dev.keelson.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.docker.DockerRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services through {@code keelson up}'s proxy, with real pods on this host's Docker engine and
 * kubectl: a cluster IP and a NodePort balance over the ready pods, follow readiness and scaling,
 * and are freed with their Service.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServicesIT {

  private static final String NAMESPACE = "services-it";

  @TempDir static Path dataDir;
  private static KeelsonProcess keelson;
  private static Kubectl kubectl;
  private static DockerRuntime docker;
  private static int metricsPort;

  @BeforeAll
  static void up() throws Exception {
    try {
      docker = DockerRuntime.connect();
      docker.version();
    } catch (RuntimeException e) {
      docker = null;
      assertThat(System.getenv("CI"))
          .as("a Docker engine is required with CI=true")
          .isNotEqualTo("true");
    }
    Assumptions.assumeTrue(docker != null, "no Docker engine answers");
    metricsPort = KeelsonProcess.freePort();
    keelson =
        KeelsonProcess.start(
            "up",
            "--data-dir",
            dataDir.toString(),
            "--node-name",
            "svc-" + UUID.randomUUID().toString().substring(0, 6),
            "--kafka-listen",
            "127.0.0.1:" + KeelsonProcess.freePort(),
            "--health-listen",
            "127.0.0.1:" + KeelsonProcess.freePort(),
            "--listen",
            "127.0.0.1:" + KeelsonProcess.freePort(),
            "--agent-listen",
            "127.0.0.1:" + KeelsonProcess.freePort(),
            "--proxy-metrics-listen",
            "127.0.0.1:" + metricsPort);
    assertThat(keelson.awaitLine("Stop with Ctrl-C.", Duration.ofMinutes(3)))
        .as(keelson.output())
        .isTrue();
    assertThat(keelson.output()).contains("metrics on http://127.0.0.1:" + metricsPort);
    kubectl = new Kubectl(dataDir.resolve("kubeconfig"));
    if (!kubectl.present()) {
      assertThat(System.getenv("CI")).as("kubectl is required with CI=true").isNotEqualTo("true");
    }
    Assumptions.assumeTrue(kubectl.present(), "no kubectl");
    String node = ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").trim();
    ok("wait", "--for=condition=Ready", "node/" + node, "--timeout=60s");
    ok("create", "namespace", NAMESPACE);
  }

  @AfterAll
  static void down() {
    if (keelson != null) {
      keelson.close();
    }
    if (docker != null) {
      docker
          .list(Map.of(PodContainers.POD_NAMESPACE, NAMESPACE))
          .forEach(c -> docker.remove(c.id()));
      docker.close();
    }
  }

  private static String ok(String... args) throws Exception {
    Kubectl.Result result = kubectl.run(args);
    assertThat(result.exit())
        .as("kubectl %s: %s\n%s", String.join(" ", args), result.output(), keelson.output())
        .isZero();
    return result.output();
  }

  private static String jsonpath(String resource, String path) throws Exception {
    return ok("get", resource, "-n", NAMESPACE, "-o", "jsonpath=" + path).trim();
  }

  /** One HTTP/1.0 GET on a connection of its own: the body, or an exception. */
  static String get(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.0\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!response.startsWith("HTTP/1.") || !response.contains(" 200 ")) {
        throw new IOException("not a 200: " + response.lines().findFirst().orElse(""));
      }
      return response.substring(response.indexOf("\r\n\r\n") + 4).trim();
    }
  }

  private static List<String> readyAddresses() throws Exception {
    String ips = jsonpath("endpoints/web", "{.subsets[*].addresses[*].targetRef.name}");
    return ips.isEmpty() ? List.of() : Arrays.asList(ips.split(" "));
  }

  private static String clusterIp() throws Exception {
    return jsonpath("service/web", "{.spec.clusterIP}");
  }

  private static int nodePort() throws Exception {
    return Integer.parseInt(jsonpath("service/web", "{.spec.ports[0].nodePort}"));
  }

  @Test
  @Order(1)
  void aServiceBalancesEvenlyOverThreeReadyPods() throws Exception {
    Path manifest = dataDir.resolve("web.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: %1$s}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: httpd
                image: keelson/busybox:1
                env:
                - name: POD_NAME
                  valueFrom: {fieldRef: {fieldPath: metadata.name}}
                command: [sh, -c, "mkdir -p /www && echo $POD_NAME > /www/index.html && touch /www/ready && exec httpd -f -p 8080 -h /www"]
                ports: [{containerPort: 8080}]
                readinessProbe:
                  httpGet: {path: /ready, port: 8080}
                  periodSeconds: 1
                  failureThreshold: 1
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: %1$s}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        """
            .formatted(NAMESPACE));
    ok("apply", "-f", manifest.toString());
    ok("rollout", "status", "deployment/web", "-n", NAMESPACE, "--timeout=180s");
    await().atMost(Duration.ofSeconds(60)).until(() -> readyAddresses().size() == 3);
    String ip = clusterIp();
    assertThat(ip).startsWith("127.64.");
    assertThat(ok("get", "svc", "web", "-n", NAMESPACE))
        .contains(ip)
        .contains("80:" + nodePort() + "/TCP");

    Map<String, Integer> counts = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> get(ip, 80) != null); // the proxy has the endpoints
    for (int i = 0; i < 300; i++) {
      counts.merge(get(ip, 80), 1, Integer::sum);
    }

    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(readyAddresses());
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(80, 120));
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("keelson_proxy_connections_total{service=\"" + NAMESPACE + "/web\"")
        .contains("keelson_proxy_bytes_total{service=\"" + NAMESPACE + "/web\"");
  }

  @Test
  @Order(2)
  void theNodePortAnswersOnTheNodeAddress() throws Exception {
    String hostIp = jsonpath("pods", "{.items[0].status.hostIP}");
    assertThat(get(hostIp, nodePort())).isIn(readyAddresses());
  }

  @Test
  @Order(3)
  void aPodFailingItsReadinessProbeGetsNoMoreConnections() throws Exception {
    String victim = readyAddresses().get(0);
    RuntimeContainer httpd =
        docker
            .list(Map.of(PodContainers.POD_NAMESPACE, NAMESPACE, PodContainers.POD_NAME, victim))
            .stream()
            .filter(c -> "httpd".equals(c.labels().get(PodContainers.CONTAINER)))
            .findFirst()
            .orElseThrow();
    assertThat(
            docker.exec(httpd.id(), List.of("rm", "/www/ready"), Duration.ofSeconds(10)).exitCode())
        .isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> !readyAddresses().contains(victim));
    String ip = clusterIp();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (int i = 0; i < 30; i++) {
                assertThat(get(ip, 80)).isNotEqualTo(victim);
              }
            });
  }

  @Test
  @Order(4)
  void scaledToOneEveryRequestLandsOnTheSurvivor() throws Exception {
    ok("scale", "deployment/web", "--replicas=1", "-n", NAMESPACE);
    await().atMost(Duration.ofSeconds(60)).until(() -> readyAddresses().size() == 1);
    String survivor = readyAddresses().get(0);
    String ip = clusterIp();
    for (int i = 0; i < 50; i++) {
      assertThat(get(ip, 80)).isEqualTo(survivor);
    }
  }

  @Test
  @Order(5)
  void aPodReachesTheServiceByItsClusterIpAndItsEnvironmentVariables() throws Exception {
    String survivor = readyAddresses().get(0);
    String ip = clusterIp();
    Path manifest = dataDir.resolve("client.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: %s}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - {name: client, image: keelson/busybox:1, command: [sleep, "3600"]}
        """
            .formatted(NAMESPACE));
    ok("apply", "-f", manifest.toString());
    ok("wait", "--for=condition=Ready", "pod/client", "-n", NAMESPACE, "--timeout=90s");
    RuntimeContainer client =
        docker
            .list(Map.of(PodContainers.POD_NAMESPACE, NAMESPACE, PodContainers.POD_NAME, "client"))
            .stream()
            .filter(c -> "client".equals(c.labels().get(PodContainers.CONTAINER)))
            .findFirst()
            .orElseThrow();
    // busybox's wget -T crashes in this image: timeout bounds it instead.
    for (String url :
        List.of("http://" + ip + "/", "http://$WEB_SERVICE_HOST:$WEB_SERVICE_PORT/")) {
      var result =
          docker.exec(
              client.id(),
              List.of("sh", "-c", "timeout 5 wget -qO- " + url),
              Duration.ofSeconds(10));
      assertThat(result.exitCode()).as(url + ": " + result.output()).isZero();
      assertThat(result.output().trim()).as(url).isEqualTo(survivor);
    }
    var env = docker.exec(client.id(), List.of("env"), Duration.ofSeconds(10));
    assertThat(env.output()).contains("WEB_SERVICE_HOST=" + ip).contains("WEB_SERVICE_PORT=80");
    ok("delete", "pod", "client", "-n", NAMESPACE, "--wait=false");
  }

  @Test
  @Order(6)
  void deletingTheServiceFreesItsListenersAndAddresses() throws Exception {
    String ip = clusterIp();
    int nodePort = nodePort();
    String hostIp = jsonpath("pods", "{.items[0].status.hostIP}");
    ok("delete", "service", "web", "-n", NAMESPACE);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThatThrownBy(() -> get(ip, 80)).isInstanceOf(ConnectException.class);
              assertThatThrownBy(() -> get(hostIp, nodePort)).isInstanceOf(ConnectException.class);
            });
    // The same cluster IP and node port are free for another Service.
    Path again = dataDir.resolve("again.yaml");
    Files.writeString(
        again,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: again, namespace: %s}
        spec:
          type: NodePort
          clusterIP: %s
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080, nodePort: %d}]
        """
            .formatted(NAMESPACE, ip, nodePort));
    ok("apply", "-f", again.toString());
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(ip, 80) != null);
    ok("delete", "service", "again", "-n", NAMESPACE);
  }

  @Test
  @Order(7)
  void kubectlExposeMakesADeploymentReachableWithCurl() throws Exception {
    ok(
        "create",
        "deployment",
        "hello",
        "-n",
        NAMESPACE,
        "--image=keelson/busybox:1",
        "--replicas=2",
        "--port=8080",
        "--",
        "sh",
        "-c",
        "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www");
    ok("expose", "deployment", "hello", "-n", NAMESPACE, "--port", "80", "--target-port", "8080");
    ok("rollout", "status", "deployment/hello", "-n", NAMESPACE, "--timeout=180s");
    String ip =
        ok("get", "svc", "hello", "-n", NAMESPACE, "-o", "jsonpath={.spec.clusterIP}").trim();
    assertThat(ok("get", "svc", "hello", "-n", NAMESPACE)).contains(ip).contains("80/TCP");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Process curl =
                  new ProcessBuilder("curl", "-sS", "--max-time", "5", "http://" + ip + "/")
                      .redirectErrorStream(true)
                      .start();
              String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              assertThat(curl.waitFor()).as(out).isZero();
              assertThat(out.trim()).isEqualTo("hello");
            });
  }
}
