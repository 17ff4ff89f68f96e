package dev.keelson.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl, unchanged, against {@code keelson up}: the everyday verbs on manifests, every output
 * format, patches of all three types, watches, deletes, upstream's error messages, and the other
 * kubectl versions (1.27 to 1.33).
 */
class KubectlIT {

  @TempDir static Path dataDir;
  private static KeelsonProcess keelson;
  private static Kubectl kubectl;

  @BeforeAll
  static void up() throws Exception {
    keelson =
        KeelsonProcess.start(
            "up",
            "--data-dir",
            dataDir.toString(),
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
  }

  @AfterAll
  static void down() {
    if (keelson != null) {
      keelson.close();
    }
  }

  private static String manifest(String name) throws URISyntaxException {
    return Path.of(
            Objects.requireNonNull(KubectlIT.class.getResource("/manifests/" + name)).toURI())
        .toString();
  }

  private static String ok(String... args) throws Exception {
    Kubectl.Result result = kubectl.run(args);
    assertThat(result.exit())
        .as("kubectl %s: %s", String.join(" ", args), result.output())
        .isZero();
    return result.output();
  }

  private static String fails(String... args) throws Exception {
    Kubectl.Result result = kubectl.run(args);
    assertThat(result.exit())
        .as("kubectl %s: %s", String.join(" ", args), result.output())
        .isNotZero();
    assertThat(result.output()).doesNotContain("\tat ").doesNotContain("InternalError");
    return result.output();
  }

  @Test
  void applyGetDescribeLabelPatchAndDeleteAnApplication() throws Exception {
    assertThat(ok("apply", "-f", manifest("app.yaml")))
        .contains("namespace/shop created")
        .contains("configmap/settings created")
        .contains("secret/credentials created")
        .contains("deployment.apps/web created")
        .contains("service/web created");
    assertThat(ok("get", "secret", "credentials", "-n", "shop", "-o", "jsonpath={.data.password}"))
        .isEqualTo("czNjcmV0");

    // Every output format.
    assertThat(ok("get", "deploy", "web", "-n", "shop", "-o", "yaml"))
        .contains("kind: Deployment")
        .contains("revisionHistoryLimit: 10")
        .contains("type: RollingUpdate");
    assertThat(ok("get", "deploy", "web", "-n", "shop", "-o", "json")).contains("\"replicas\": 2");
    assertThat(ok("get", "deploy", "-n", "shop", "-o", "wide"))
        .contains("READY")
        .contains("UP-TO-DATE")
        .contains("CONTAINERS")
        .contains("web,sidecar")
        .contains("app=web");
    assertThat(ok("get", "svc", "-n", "shop"))
        .contains("TYPE")
        .contains("ClusterIP")
        .contains("80/TCP");
    assertThat(
            ok(
                "get",
                "cm",
                "-n",
                "shop",
                "-o",
                "custom-columns=NAME:.metadata.name,GREETING:.data.greeting"))
        .contains("GREETING")
        .contains("hello");
    assertThat(ok("describe", "deployment", "web", "-n", "shop"))
        .contains("Name:")
        .contains("shop")
        .contains("RollingUpdate");
    assertThat(ok("describe", "configmap", "settings", "-n", "shop")).contains("greeting");

    // label, annotate, and the three patch types.
    ok("label", "deploy", "web", "-n", "shop", "tier=front");
    ok("annotate", "deploy", "web", "-n", "shop", "owner=team-a");
    assertThat(
            ok(
                "get",
                "deploy",
                "web",
                "-n",
                "shop",
                "-o",
                "jsonpath={.metadata.labels.tier} {.metadata.annotations.owner}"))
        .isEqualTo("front team-a");
    ok(
        "patch",
        "deploy",
        "web",
        "-n",
        "shop",
        "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"keelson/busybox:2\"}]}}}}");
    assertThat(
            ok(
                "get",
                "deploy",
                "web",
                "-n",
                "shop",
                "-o",
                "jsonpath={.spec.template.spec.containers[*].image} {.spec.template.spec.containers[0].env[0].name}"))
        .as("a strategic merge patch merges containers by name")
        .isEqualTo("keelson/busybox:2 keelson/busybox:1 GREETING");
    ok(
        "patch",
        "cm",
        "settings",
        "-n",
        "shop",
        "--type=merge",
        "-p",
        "{\"data\":{\"extra\":\"1\"}}");
    ok(
        "patch",
        "cm",
        "settings",
        "-n",
        "shop",
        "--type=json",
        "-p",
        "[{\"op\":\"replace\",\"path\":\"/data/greeting\",\"value\":\"hi\"}]");
    assertThat(
            ok(
                "get",
                "cm",
                "settings",
                "-n",
                "shop",
                "-o",
                "jsonpath={.data.greeting} {.data.extra}"))
        .isEqualTo("hi 1");

    // apply again with a change: client-side apply computes a patch from the last applied state.
    assertThat(ok("apply", "-f", manifest("app-changed.yaml")))
        .contains("configmap/settings configured");
    assertThat(ok("get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}"))
        .isEqualTo("3");
    assertThat(ok("get", "cm", "settings", "-n", "shop", "-o", "jsonpath={.data.greeting}"))
        .isEqualTo("bonjour");

    // scale
    ok("scale", "deploy", "web", "-n", "shop", "--replicas=5");
    assertThat(ok("get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}"))
        .isEqualTo("5");

    // delete, with and without waiting
    assertThat(ok("delete", "cm", "settings", "-n", "shop"))
        .contains("configmap \"settings\" deleted");
    assertThat(ok("delete", "secret", "credentials", "-n", "shop", "--wait=false"))
        .contains("deleted");
    assertThat(fails("get", "cm", "settings", "-n", "shop"))
        .contains("Error from server (NotFound): configmaps \"settings\" not found");
  }

  @Test
  void createFromYamlThenDeleteTheSameFileAndWait() throws Exception {
    assertThat(ok("create", "-f", manifest("created.yaml")))
        .contains("configmap/settings created")
        .contains("secret/credentials created")
        .contains("deployment.apps/web created")
        .contains("service/web created");
    assertThat(ok("get", "all")).contains("service/web").contains("deployment.apps/web");
    assertThat(
            ok(
                "delete",
                "-f",
                manifest("created.yaml"),
                "--ignore-not-found",
                "--wait=true",
                "--timeout=60s"))
        .contains("deployment.apps \"web\" deleted");
    assertThat(ok("get", "deployments,services,configmaps,secrets", "-o", "name"))
        .doesNotContain("web")
        .doesNotContain("settings")
        .doesNotContain("credentials");
  }

  @Test
  void aNodePortServiceGetsAClusterIpAndANodePort() throws Exception {
    assertThat(ok("create", "service", "nodeport", "np-web", "--tcp=80:8080"))
        .contains("service/np-web created");
    String row =
        ok("get", "svc", "np-web", "--no-headers").lines().findFirst().orElseThrow().trim();
    // NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE
    String[] columns = row.split("\\s+");
    assertThat(columns[0]).isEqualTo("np-web");
    assertThat(columns[1]).isEqualTo("NodePort");
    assertThat(columns[2]).matches("127\\.64\\.\\d{1,3}\\.\\d{1,3}");
    assertThat(columns[4]).matches("80:3\\d{4}/TCP");
    assertThat(ok("get", "svc", "np-web", "-o", "jsonpath={.metadata.annotations}"))
        .contains("keelson.dev/proxy-ports");

    String nodePort = columns[4].substring(3, 8);
    String[] takeIt = {
      "create", "service", "nodeport", "np-taken", "--tcp=81:8081", "--node-port=" + nodePort
    };
    assertThat(fails(takeIt))
        .contains(
            "spec.ports[0].nodePort: Invalid value: "
                + nodePort
                + ": provided port is already allocated");
    ok("delete", "svc", "np-web");
    assertThat(ok(takeIt)).contains("service/np-taken created");
    ok("delete", "svc", "np-taken");
  }

  @Test
  void getWatchSeesAChangeMadeMeanwhile() throws Exception {
    ok("create", "configmap", "watched", "--from-literal=a=1");
    Path out = Files.createTempFile(dataDir, "watch", ".out");
    Process watch =
        kubectl.start(
            out, "get", "configmap", "watched", "-w", "-o", "jsonpath={.data.a}{\"\\n\"}");
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(out).contains("1"));
      ok("patch", "configmap", "watched", "--type=merge", "-p", "{\"data\":{\"a\":\"2\"}}");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(out).contains("2"));
    } finally {
      watch.destroy();
    }
  }

  @Test
  void errorsPrintAsKubectlPrintsUpstreamErrors() throws Exception {
    ok("create", "configmap", "twice");
    assertThat(fails("create", "configmap", "twice"))
        .contains("error: failed to create configmap: configmaps \"twice\" already exists");
    ok("apply", "-f", manifest("matrix.yaml"));
    assertThat(fails("create", "-f", manifest("matrix.yaml")))
        .contains("Error from server (AlreadyExists): error when creating");
    assertThat(fails("create", "configmap", "Bad_Name"))
        .contains("is invalid")
        .contains("RFC 1123");
    assertThat(fails("get", "pods", "nowhere", "-n", "missing"))
        .contains("Error from server (NotFound)");
    assertThat(fails("create", "configmap", "x", "-n", "missing"))
        .contains("error: failed to create configmap: namespaces \"missing\" not found");
  }

  @Test
  void everyKubectlVersionFrom127To133Works() throws Exception {
    List<String> failures = new ArrayList<>();
    for (int minor = 27; minor <= 33; minor++) {
      Kubectl version = Kubectl.version(dataDir.resolve("kubeconfig"), minor);
      if (!version.present()) {
        assertThat(System.getenv("CI"))
            .as("kubectl 1.%d is required with CI=true", minor)
            .isNotEqualTo("true");
        continue;
      }
      String name = "v1-" + minor;
      check(
          failures,
          version,
          minor,
          "create",
          "deployment",
          name,
          "--image=keelson/busybox:1",
          "--replicas=2");
      check(failures, version, minor, "create", "configmap", name, "--from-literal=k=v");
      check(failures, version, minor, "get", "deployments", name, "-o", "wide");
      check(failures, version, minor, "apply", "-f", manifest("matrix.yaml"));
      check(failures, version, minor, "label", "configmap", name, "v=" + minor);
      check(failures, version, minor, "scale", "deployment", name, "--replicas=3");
      check(failures, version, minor, "delete", "deployment", name);
      check(failures, version, minor, "delete", "configmap", name);
    }
    assertThat(failures).isEmpty();
  }

  private static void check(List<String> failures, Kubectl version, int minor, String... args)
      throws Exception {
    Kubectl.Result result = version.run(args);
    if (result.exit() != 0) {
      failures.add("kubectl 1." + minor + " " + String.join(" ", args) + ": " + result.output());
    }
  }

  @Test
  void keelsonHistoryShowsWhoCreatedAndScaledADeployment() throws Exception {
    ok("create", "deployment", "web", "-n", "default", "--image=keelson/busybox:1");
    ok("scale", "deployment/web", "-n", "default", "--replicas=5");
    String kubeconfig = dataDir.resolve("kubeconfig").toString();
    KeelsonProcess history =
        KeelsonProcess.start(
            "history", "deployment/web", "-n", "default", "--kubeconfig", kubeconfig);
    assertThat(history.awaitExit(Duration.ofMinutes(2))).as(history.output()).isZero();
    List<String> rows = history.output().lines().toList();
    assertThat(rows.get(0)).matches("REVISION +TIME +ACTOR +OP +VERDICT +CHANGE");
    assertThat(rows).anyMatch(r -> r.matches("\\d+ +\\S+Z +admin +CREATE +Applied +created"));
    assertThat(rows)
        .anyMatch(
            r -> r.matches("\\d+ +\\S+Z +admin +UPDATE +Applied +replace /spec/replicas 1→5.*"));

    KeelsonProcess json =
        KeelsonProcess.start(
            "history", "deploy/web", "-n", "default", "-o", "json", "--kubeconfig", kubeconfig);
    assertThat(json.awaitExit(Duration.ofMinutes(2))).as(json.output()).isZero();
    var items = dev.keelson.api.Json.mapper().readTree(json.output());
    assertThat(items.get(0).path("op").asText()).isEqualTo("CREATE");
    assertThat(items.get(0).at("/key/kind").asText()).isEqualTo("Deployment");

    KeelsonProcess wrong = KeelsonProcess.start("history", "web", "--kubeconfig", kubeconfig);
    assertThat(wrong.awaitExit(Duration.ofMinutes(2))).isNotZero();
    assertThat(wrong.output().strip())
        .isEqualTo(
            "keelson: give the object as KIND/NAME (for example deployment/web), not \"web\"");
    KeelsonProcess unknown =
        KeelsonProcess.start("history", "widgets/web", "--kubeconfig", kubeconfig);
    assertThat(unknown.awaitExit(Duration.ofMinutes(2))).isNotZero();
    assertThat(unknown.output().strip())
        .isEqualTo("keelson: kind \"widgets\" is not a resource the API serves");
  }
}
