package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.e2e.agent.Cluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl's rollout verbs on a Deployment the controllers roll out: rollout status, set
 * image, rollout history (with --revision), rollout undo (to the previous revision and with
 * --to-revision), scale, rollout pause and resume, with kubectl's own output and exit codes.
 */
class KubectlRolloutIT {

  static final String V1 = "keelson/busybox:1";
  static final String V2 = "keelson/busybox:2";
  static final String V3 = "keelson/busybox:3";

  @TempDir static Path dir;
  static Cluster cluster;
  static Path kubeconfig;
  static StandInBinder binder;
  static String ns;

  record Result(int exit, String output) {}

  @BeforeAll
  static void start() throws Exception {
    boolean present;
    try {
      present = new ProcessBuilder("kubectl", "version", "--client").start().waitFor() == 0;
    } catch (Exception e) {
      present = false;
    }
    if (!present) {
      assertThat(System.getenv("CI")).as("kubectl is required with CI=true").isNotEqualTo("true");
    }
    Assumptions.assumeTrue(present, "kubectl is not on the PATH");
    cluster = Cluster.start(dir);
    cluster.controllers(s -> s);
    String prefix = Cluster.uniqueNode("kc");
    cluster.agent(prefix, 3, s -> s);
    ns = Workloads.namespace(cluster.client, "kubectl-rollout");
    binder =
        new StandInBinder(
            cluster.client,
            cluster.server,
            ns,
            IntStream.range(0, 3).mapToObj(i -> prefix + "-" + i).toList());
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: keelson
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: admin
          user:
            token: %s
        contexts:
        - name: keelson
          context: {cluster: keelson, user: admin, namespace: %s}
        current-context: keelson
        """
            .formatted(
                cluster.server,
                Base64.getEncoder().encodeToString(cluster.caPem.getBytes(StandardCharsets.UTF_8)),
                cluster.token,
                ns));
  }

  @AfterAll
  static void stop() throws Exception {
    if (binder != null) {
      binder.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static Result kubectl(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "kubectl", ".out");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
    }
    System.out.println(
        "TMPDEBUG " + java.time.Instant.now() + " kubectl " + String.join(" ", args));
    return new Result(process.exitValue(), Files.readString(out));
  }

  static String ok(String... args) throws Exception {
    Result result = kubectl(args);
    assertThat(result.exit())
        .as("kubectl %s: %s", String.join(" ", args), result.output())
        .isZero();
    return result.output();
  }

  static Set<String> images() {
    return Workloads.active(cluster.client, ns).stream()
        .map(Workloads::image)
        .collect(Collectors.toSet());
  }

  static List<ReplicaSet> replicaSets() {
    return cluster.client.apps().replicaSets().inNamespace(ns).list().getItems();
  }

  @Test
  void rolloutStatusSetImageHistoryUndoScalePauseAndResume() throws Exception {
    // kubectl names the container after the image: busybox
    ok("create", "deployment", "web", "--image=" + V1, "--replicas=3", "--", "sleep", "3600");
    assertThat(ok("rollout", "status", "deployment/web", "--timeout=90s"))
        .contains("deployment \"web\" successfully rolled out");

    assertThat(ok("set", "image", "deployment/web", "busybox=" + V2))
        .contains("deployment.apps/web image updated");
    ok("annotate", "deployment/web", "kubernetes.io/change-cause=image 2");
    assertThat(ok("rollout", "status", "deployment/web", "--timeout=90s"))
        .contains("deployment \"web\" successfully rolled out");
    await().atMost(Duration.ofSeconds(30)).until(() -> images().equals(Set.of(V2)));

    String history = ok("rollout", "history", "deployment/web");
    assertThat(history).contains("deployment.apps/web").contains("REVISION  CHANGE-CAUSE");
    assertThat(history.lines().map(String::trim))
        .contains("1         <none>")
        .contains("2         image 2");
    assertThat(ok("rollout", "history", "deployment/web", "--revision=1"))
        .contains("deployment.apps/web with revision #1")
        .contains(V1);

    assertThat(ok("rollout", "undo", "deployment/web")).contains("deployment.apps/web rolled back");
    assertThat(ok("rollout", "status", "deployment/web", "--timeout=90s"))
        .contains("successfully rolled out");
    await().atMost(Duration.ofSeconds(30)).until(() -> images().equals(Set.of(V1)));
    // revision 1 came back as revision 3; no ReplicaSet was made for it
    assertThat(replicaSets()).hasSize(2);
    assertThat(ok("rollout", "history", "deployment/web").lines().map(String::trim))
        .contains("2         image 2")
        .anyMatch(l -> l.startsWith("3 "))
        .noneMatch(l -> l.startsWith("1 "));

    assertThat(ok("rollout", "undo", "deployment/web", "--to-revision=2"))
        .contains("deployment.apps/web rolled back");
    ok("rollout", "status", "deployment/web", "--timeout=90s");
    await().atMost(Duration.ofSeconds(30)).until(() -> images().equals(Set.of(V2)));
    Result missing = kubectl("rollout", "undo", "deployment/web", "--to-revision=9");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.output()).contains("unable to find specified revision 9 in history");

    assertThat(ok("scale", "deployment/web", "--replicas=4"))
        .contains("deployment.apps/web scaled");
    ok("rollout", "status", "deployment/web", "--timeout=90s");
    assertThat(Workloads.active(cluster.client, ns)).hasSize(4);

    assertThat(ok("rollout", "pause", "deployment/web")).contains("deployment.apps/web paused");
    ok("set", "image", "deployment/web", "busybox=" + V3);
    // paused: the new template is not rolled out, but a resize is
    ok("scale", "deployment/web", "--replicas=5");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(Workloads.active(cluster.client, ns)).hasSize(5));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(images()).containsExactly(V2));
    Deployment paused = cluster.client.apps().deployments().inNamespace(ns).withName("web").get();
    assertThat(paused.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("DeploymentPaused"));
    Result undoPaused = kubectl("rollout", "undo", "deployment/web");
    assertThat(undoPaused.exit()).isNotZero();
    assertThat(undoPaused.output())
        .contains(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume");

    assertThat(ok("rollout", "resume", "deployment/web")).contains("deployment.apps/web resumed");
    assertThat(ok("rollout", "status", "deployment/web", "--timeout=90s"))
        .contains("deployment \"web\" successfully rolled out");
    await().atMost(Duration.ofSeconds(30)).until(() -> images().equals(Set.of(V3)));
    assertThat(Workloads.active(cluster.client, ns)).hasSize(5);
  }
}
