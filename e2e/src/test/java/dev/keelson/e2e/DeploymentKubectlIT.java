package dev.keelson.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.docker.DockerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Deployment through kubectl against {@code keelson up}, with real containers on this host's
 * Docker engine: the scheduler places the pods, the ReplicaSet controller keeps three, and the
 * Deployment controller rolls them to a second image and back; scaled to zero, the containers go.
 */
class DeploymentKubectlIT {

  private static final String NAMESPACE = "deploy-it";

  @TempDir static Path dataDir;
  private static KeelsonProcess keelson;
  private static Kubectl kubectl;
  private static DockerRuntime docker;

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
    org.junit.jupiter.api.Assumptions.assumeTrue(docker != null, "no Docker engine answers");
    keelson =
        KeelsonProcess.start(
            "up",
            "--data-dir",
            dataDir.toString(),
            "--node-name",
            "deploy-" + UUID.randomUUID().toString().substring(0, 6),
            "--kafka-listen",
            "127.0.0.1:" + KeelsonProcess.freePort(),
            "--health-listen",
            "127.0.0.1:" + KeelsonProcess.freePort(),
            "--listen",
            "127.0.0.1:" + KeelsonProcess.freePort());
    assertThat(keelson.awaitLine("Stop with Ctrl-C.", Duration.ofMinutes(3)))
        .as(keelson.output())
        .isTrue();
    kubectl = new Kubectl(dataDir.resolve("kubeconfig"));
    if (!kubectl.present()) {
      assertThat(System.getenv("CI")).as("kubectl is required with CI=true").isNotEqualTo("true");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(kubectl.present(), "no kubectl");
  }

  @AfterAll
  static void down() {
    if (keelson != null) {
      keelson.close();
    }
    if (docker != null) {
      containers().forEach(c -> docker.remove(c.id()));
      docker.close();
    }
  }

  private static List<dev.keelson.nodeagent.runtime.RuntimeContainer> containers() {
    return docker.list(Map.of(PodContainers.POD_NAMESPACE, NAMESPACE));
  }

  private static String ok(String... args) throws Exception {
    Kubectl.Result result = kubectl.run(args);
    assertThat(result.exit())
        .as("kubectl %s: %s\n%s", String.join(" ", args), result.output(), keelson.output())
        .isZero();
    return result.output();
  }

  private static List<String> readyPods() throws Exception {
    String out =
        ok(
            "get",
            "pods",
            "-n",
            NAMESPACE,
            "-l",
            "app=web",
            "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status} {.metadata.deletionTimestamp}{\"\\n\"}{end}");
    return Arrays.stream(out.split("\n"))
        .map(String::trim)
        .filter(l -> l.endsWith(" True"))
        .map(l -> l.substring(0, l.indexOf(' ')))
        .toList();
  }

  private static String images() throws Exception {
    return ok(
        "get",
        "pods",
        "-n",
        NAMESPACE,
        "-l",
        "app=web",
        "-o",
        "jsonpath={.items[*].spec.containers[0].image}");
  }

  @Test
  void aDeploymentRunsIsRepairedRollsBackAndScalesToZero() throws Exception {
    String node = ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").trim();
    ok("wait", "--for=condition=Ready", "node/" + node, "--timeout=60s");
    ok("create", "namespace", NAMESPACE);
    Path manifest = dataDir.resolve("web.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: %s}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 2
              containers:
              - name: httpd
                image: keelson/busybox:1
                command: [sh, -c, "mkdir -p /www && cat /etc/image-version > /www/index.html && exec httpd -f -p 8080 -h /www"]
                ports: [{containerPort: 8080}]
                readinessProbe:
                  httpGet: {path: /, port: 8080}
                  periodSeconds: 1
        """
            .formatted(NAMESPACE));
    ok("apply", "-f", manifest.toString());
    ok("rollout", "status", "deployment/web", "-n", NAMESPACE, "--timeout=180s");
    assertThat(readyPods()).hasSize(3);
    assertThat(ok("get", "pods", "-n", NAMESPACE, "-o", "jsonpath={.items[*].status.phase}"))
        .isEqualTo("Running Running Running");
    // Three pods of two containers each (the sandbox and httpd).
    assertThat(containers()).hasSize(6);

    String victim = readyPods().get(0);
    ok("delete", "pod", victim, "-n", NAMESPACE, "--wait=false");
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              List<String> ready = readyPods();
              assertThat(ready).hasSize(3).doesNotContain(victim);
            });

    ok("set", "image", "deployment/web", "httpd=keelson/busybox:2", "-n", NAMESPACE);
    ok("rollout", "status", "deployment/web", "-n", NAMESPACE, "--timeout=180s");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(images())
                    .isEqualTo(
                        String.join(
                            " ",
                            List.of(
                                "keelson/busybox:2", "keelson/busybox:2", "keelson/busybox:2"))));
    assertThat(ok("rollout", "history", "deployment/web", "-n", NAMESPACE))
        .contains("REVISION")
        .contains("1")
        .contains("2");

    ok("rollout", "undo", "deployment/web", "-n", NAMESPACE);
    ok("rollout", "status", "deployment/web", "-n", NAMESPACE, "--timeout=180s");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(images())
                    .isEqualTo("keelson/busybox:1 keelson/busybox:1 keelson/busybox:1"));
    assertThat(
            ok(
                "get",
                "deployment",
                "web",
                "-n",
                NAMESPACE,
                "-o",
                "jsonpath={.spec.template.spec.containers[0].image}"))
        .isEqualTo("keelson/busybox:1");

    ok("scale", "deployment/web", "--replicas=0", "-n", NAMESPACE);
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              assertThat(ok("get", "pods", "-n", NAMESPACE, "-o", "name")).isBlank();
              assertThat(containers()).isEmpty();
            });
  }
}
