package dev.keelson.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.api.Json;
import dev.keelson.api.change.Actor;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.Topics;
import dev.keelson.projection.ListResult;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./keelson up} as an operator runs it. */
class KeelsonUpIT {

  private static final Duration START = Duration.ofMinutes(3);
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void upServesReadyzStopsOnSigtermAndComesBackWithTheSameState(@TempDir Path dataDir)
      throws Exception {
    int kafkaPort = KeelsonProcess.freePort();
    int healthPort = KeelsonProcess.freePort();
    int apiPort = KeelsonProcess.freePort();
    String[] args = {
      "up",
      "--data-dir",
      dataDir.toString(),
      "--kafka-listen",
      "127.0.0.1:" + kafkaPort,
      "--health-listen",
      "127.0.0.1:" + healthPort,
      "--listen",
      "127.0.0.1:" + apiPort,
      // The state written must be the state read back: no node agent writing beside the test.
      "--no-agent"
    };
    ListResult written;
    try (KeelsonProcess keelson = KeelsonProcess.start(args)) {
      assertThat(keelson.awaitLine("Stop with Ctrl-C.", START)).as(keelson.output()).isTrue();
      assertThat(keelson.output())
          .contains("data directory  " + dataDir)
          .contains("127.0.0.1:" + kafkaPort + " (embedded")
          .contains("http://127.0.0.1:" + healthPort + "/readyz");
      assertThat(get(healthPort, "/readyz")).isEqualTo(200);
      assertThat(get(healthPort, "/healthz")).isEqualTo(200);
      assertThat(keelson.output())
          .contains("https://127.0.0.1:" + apiPort)
          .contains("export KUBECONFIG=" + dataDir.resolve("kubeconfig"));
      kubectlAgainst(dataDir.resolve("kubeconfig"));

      // A second Keelson on the same data directory is refused, with one line.
      try (KeelsonProcess second = KeelsonProcess.start(args)) {
        assertThat(second.awaitExit(Duration.ofMinutes(2))).isNotNull().isNotZero();
        assertThat(second.output()).contains("another Keelson is running").doesNotContain("\tat ");
      }

      written = writeThroughTheLog("127.0.0.1:" + kafkaPort, 120);
      assertThat(get(healthPort, "/readyz")).isEqualTo(200);

      Duration stop = keelson.terminate(Duration.ofSeconds(10));
      assertThat(stop).as("stopped within 10 s\n" + keelson.output()).isNotNull();
      assertThat(keelson.output())
          .as("exit %s after %s", keelson.process().exitValue(), stop)
          .contains("Keelson stopped");
    }
    try (Stream<Path> snapshots = Files.list(dataDir.resolve("snapshots"))) {
      assertThat(snapshots.toList()).as("a snapshot written at stop").isNotEmpty();
    }

    try (KeelsonProcess again = KeelsonProcess.start(args)) {
      assertThat(again.awaitLine("Stop with Ctrl-C.", START)).as(again.output()).isTrue();
      // Replayed at least to the last record written: the reconcilers' leader Leases (renewed and
      // released at stop) come after it.
      java.util.regex.Matcher revision =
          java.util.regex.Pattern.compile("revision +(\\d+) ").matcher(again.output());
      assertThat(revision.find()).as(again.output()).isTrue();
      assertThat(Long.parseLong(revision.group(1))).isGreaterThanOrEqualTo(written.revision());
      assertThat(get(healthPort, "/readyz")).isEqualTo(200);
      // The same objects, but for the reconcilers' leader Leases, renewed after the write.
      assertThat(withoutLeaderLeases(readBack("127.0.0.1:" + kafkaPort, written.revision())))
          .isEqualTo(withoutLeaderLeases(written));
      assertThat(again.terminate(Duration.ofSeconds(10))).isNotNull();
    }
  }

  @Test
  void badFlagsGetOneLineAndANonZeroExit() throws Exception {
    try (KeelsonProcess keelson = KeelsonProcess.start("up", "--health-listen", "nowhere")) {
      assertThat(keelson.awaitExit(Duration.ofMinutes(2))).isNotNull().isNotZero();
      assertThat(keelson.output()).contains("expected HOST:PORT").doesNotContain("\tat ");
    }
    try (KeelsonProcess keelson =
        KeelsonProcess.start("up", "--service-cluster-ip-range", "10.96.0.0/12")) {
      assertThat(keelson.awaitExit(Duration.ofMinutes(2))).isNotNull().isNotZero();
      assertThat(keelson.output())
          .contains("keelson: --service-cluster-ip-range: '10.96.0.0/12' is not within 127.0.0.0/8")
          .doesNotContain("\tat ");
    }
  }

  /** kubectl, unchanged, with the kubeconfig keelson up wrote: create, get, list, delete. */
  private static void kubectlAgainst(Path kubeconfig) throws Exception {
    Kubectl kubectl = new Kubectl(kubeconfig);
    if (!kubectl.present()) {
      assertThat(System.getenv("CI")).as("kubectl is required with CI=true").isNotEqualTo("true");
      return;
    }
    Path manifest = kubeconfig.resolveSibling("cm.yaml");
    Files.writeString(
        manifest,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  labels: {app: web}\ndata:\n  greeting: hello\n");
    assertThat(kubectl.run("get", "namespaces").output())
        .contains("default", "kube-system", "kube-public", "kube-node-lease");
    // Client-side validation needs the OpenAPI documents, which are not served yet.
    assertThat(kubectl.run("create", "-f", manifest.toString(), "--validate=false").output())
        .contains("configmap/web created");
    Kubectl.Result again = kubectl.run("create", "-f", manifest.toString(), "--validate=false");
    assertThat(again.exit()).isNotZero();
    assertThat(again.output())
        .contains("AlreadyExists")
        .contains("configmaps \"web\" already exists");
    assertThat(kubectl.run("get", "configmap", "web", "-o", "jsonpath={.data.greeting}").output())
        .isEqualTo("hello");
    assertThat(kubectl.run("get", "configmaps", "-l", "app=web", "-o", "name").output().trim())
        .isEqualTo("configmap/web");
    assertThat(kubectl.run("delete", "configmap", "web").output()).contains("deleted");
    Kubectl.Result gone = kubectl.run("get", "configmap", "web");
    assertThat(gone.exit()).isNotZero();
    assertThat(gone.output()).contains("NotFound");
  }

  private int get(int port, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Writes objects through the change log of the running Keelson, as a writer replica would. */
  private static ListResult writeThroughTheLog(String bootstrap, int count) throws Exception {
    KafkaSettings settings = KafkaSettings.of(bootstrap, Topics.defaults());
    WriteContext context = WriteContext.of(new Actor("e2e", List.of()));
    try (KafkaChangeLog log = KafkaChangeLog.open(settings, "e2e");
        LogProjection projection = LogProjection.start(log, ProjectionOptions.defaults())) {
      WritePath path = new WritePath(log, projection, Clock.systemUTC());
      for (int i = 0; i < count; i++) {
        var cm =
            Json.parseObject(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-"
                    + i
                    + "\",\"namespace\":\"default\"},\"data\":{\"i\":\""
                    + i
                    + "\"}}");
        assertThat(path.create(cm, context).get(30, TimeUnit.SECONDS))
            .isInstanceOf(WriteResult.Accepted.class);
      }
      return projection.all();
    }
  }

  private static java.util.List<dev.keelson.projection.StoredObject> withoutLeaderLeases(
      ListResult result) {
    return result.items().stream()
        .filter(o -> !o.key().kind().equals("Lease") || !o.key().namespace().equals("kube-system"))
        .toList();
  }

  private static ListResult readBack(String bootstrap, long revision) throws Exception {
    try (KafkaChangeLog log =
            KafkaChangeLog.open(KafkaSettings.of(bootstrap, Topics.defaults()), "e2e");
        LogProjection projection = LogProjection.start(log, ProjectionOptions.defaults())) {
      projection.awaitRevision(revision).get(60, TimeUnit.SECONDS);
      return projection.all();
    }
  }
}
