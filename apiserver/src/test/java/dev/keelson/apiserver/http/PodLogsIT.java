package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod logs end to end: the API server forwards pods/NAME/log to the node agent server of the pod's
 * node, which reads the container's log from the real Docker engine; read with the fabric8 client
 * and with kubectl.
 */
class PodLogsIT {

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String NODE = "node-" + RUN;
  private static final String POD = "counter-" + RUN;
  private static final String LINES =
      "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done";
  private static final Pattern LINE = Pattern.compile("line (\\d+)");

  @TempDir static Path dir;
  private static NodeAgentFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = NodeAgentFixture.start(dir).orElse(null);
    Assumptions.assumeTrue(fixture != null, "no Docker engine");
    assertThat(fixture.runtime.hasImage(NodeAgentFixture.IMAGE))
        .as("docker/build-images builds " + NodeAgentFixture.IMAGE)
        .isTrue();
    fixture.createNode(NODE, fixture.agentPort());
    fixture.run(
        fixture.createPod(POD, NODE, NodeAgentFixture.container("app", LINES)), 0, Map.of());
    await().atMost(Duration.ofSeconds(30)).until(() -> pod().getLog().contains("line 5\n"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static PodResource pod() {
    return fixture.client.pods().inNamespace("default").withName(POD);
  }

  private static List<Integer> numbers(String log) {
    List<Integer> numbers = new ArrayList<>();
    Matcher matcher = LINE.matcher(log);
    while (matcher.find()) {
      numbers.add(Integer.parseInt(matcher.group(1)));
    }
    return numbers;
  }

  @Test
  void theFabric8ClientReadsTheWholeLogItsTailAndTimestamps() {
    List<Integer> all = numbers(pod().getLog());
    assertThat(all).startsWith(0, 1, 2, 3, 4, 5);
    assertThat(all).isSorted();
    String tail = pod().tailingLines(2).getLog();
    assertThat(tail.lines()).hasSize(2);
    // The last two lines as of now: consecutive, and no older than the last line read before.
    List<Integer> lastTwo = numbers(tail);
    assertThat(lastTwo.get(1)).isEqualTo(lastTwo.get(0) + 1);
    assertThat(lastTwo.get(1)).isGreaterThanOrEqualTo(all.get(all.size() - 1));
    assertThat(pod().usingTimestamps().tailingLines(3).getLog().lines())
        .hasSize(3)
        .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z line \\d+"));
    String limited = pod().limitBytes(4).getLog();
    assertThat(limited).isEqualTo("line");
  }

  @Test
  void aFollowingClientReceivesNewLines() throws Exception {
    int last = numbers(pod().getLog()).stream().mapToInt(Integer::intValue).max().orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LogWatch watch = pod().watchLog(out)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> numbers(text(out)).stream().anyMatch(n -> n > last + 3));
    }
  }

  @Test
  void kubectlReadsTailsFollowsAndStampsTheLog() throws Exception {
    Result full = kubectl("logs", POD);
    assertThat(full.exit()).as(full.output()).isZero();
    assertThat(numbers(full.output())).startsWith(0, 1, 2, 3, 4, 5);
    Result tail = kubectl("logs", POD, "-c", "app", "--tail", "2");
    assertThat(tail.output().lines())
        .as(tail.output())
        .hasSize(2)
        .allMatch(l -> l.startsWith("line "));
    Result stamped = kubectl("logs", POD, "--timestamps", "--tail", "2");
    assertThat(stamped.output().lines())
        .hasSize(2)
        .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z line \\d+"));

    int last = numbers(full.output()).get(numbers(full.output()).size() - 1);
    Path followed = dir.resolve("follow.out");
    Process follow =
        new ProcessBuilder(
                "kubectl", "--kubeconfig", fixture.kubeconfig.toString(), "logs", "-f", POD)
            .redirectErrorStream(true)
            .redirectOutput(followed.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> numbers(Files.readString(followed)).stream().anyMatch(n -> n > last + 3));
      assertThat(follow.isAlive()).as("kubectl logs -f keeps following").isTrue();
    } finally {
      follow.destroy();
      follow.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void previousReadsTheInstanceBeforeARestart() throws Exception {
    String name = "restarted-" + RUN;
    JsonNode restarted =
        fixture.createPod(
            name, NODE, NodeAgentFixture.container("app", "echo instance $INSTANCE; sleep $HOLD"));
    String first = fixture.run(restarted, 0, Map.of("INSTANCE", "one", "HOLD", "0"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                fixture.runtime.inspect(first).orElseThrow().state()
                    == RuntimeContainer.State.EXITED);
    fixture.run(restarted, 1, Map.of("INSTANCE", "two", "HOLD", "3600"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> kubectl("logs", name).output().equals("instance two\n"));
    Result previous = kubectl("logs", name, "--previous");
    assertThat(previous.exit()).as(previous.output()).isZero();
    assertThat(previous.output()).isEqualTo("instance one\n");

    Result none = kubectl("logs", POD, "--previous");
    assertThat(none.exit()).isNotZero();
    assertThat(none.output())
        .contains(
            "Error from server (BadRequest): previous terminated container \"app\" in pod \""
                + POD
                + "\" not found");
  }

  @Test
  void requestsThatCannotBeServedAreStatuses() throws Exception {
    fixture.createPod(
        "pair-" + RUN,
        NODE,
        NodeAgentFixture.container("a", "sleep 1")
            + ","
            + NodeAgentFixture.container("b", "sleep 1"));
    JsonNode several = status(log("pair-" + RUN, ""), 400);
    assertThat(several.path("message").asText())
        .isEqualTo(
            "a container name must be specified for pod pair-" + RUN + ", choose one of: [a b]");
    assertThat(status(log(POD, "?container=nope"), 400).path("message").asText())
        .isEqualTo("container nope is not valid for pod " + POD);
    JsonNode missing = status(log("absent-" + RUN, ""), 404);
    assertThat(missing.path("message").asText()).isEqualTo("pods \"absent-" + RUN + "\" not found");
    assertThat(status(log(POD, "?tailLines=-1"), 422).path("reason").asText()).isEqualTo("Invalid");

    fixture.createPod("waiting-" + RUN, NODE, NodeAgentFixture.container("app", "sleep 1"));
    assertThat(status(log("waiting-" + RUN, ""), 400).path("message").asText())
        .isEqualTo(
            "container \"app\" in pod \"waiting-"
                + RUN
                + "\" is waiting to start: ContainerCreating");

    // Upstream has no location for a pod not yet scheduled, and answers No Content.
    fixture.createPod("pending-" + RUN, null, NodeAgentFixture.container("app", "sleep 1"));
    HttpResponse<String> pending = log("pending-" + RUN, "");
    assertThat(pending.statusCode()).isEqualTo(204);
    assertThat(pending.body()).isEmpty();

    fixture.createPod("lost-" + RUN, "gone-" + RUN, NodeAgentFixture.container("app", "sleep 1"));
    assertThat(status(log("lost-" + RUN, ""), 404).path("message").asText())
        .isEqualTo("nodes \"gone-" + RUN + "\" not found");
  }

  @Test
  void anAgentThatIsDownIsServiceUnavailable() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    fixture.createNode("down-" + RUN, closed);
    fixture.createPod("orphan-" + RUN, "down-" + RUN, NodeAgentFixture.container("app", "sleep 1"));
    JsonNode down = status(log("orphan-" + RUN, ""), 503);
    assertThat(down.path("reason").asText()).isEqualTo("ServiceUnavailable");
    assertThat(down.path("message").asText())
        .contains("node \"down-" + RUN + "\"")
        .contains("127.0.0.1:" + closed);
  }

  @Test
  void aCallerThatGoesClosesTheAgentsStream() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ss")), "no ss to see connections");
    // An agent of its own, so that only this test's connections reach it.
    int port = fixture.startAgent().port();
    String name = "quiet-" + RUN;
    fixture.createNode("quiet-node-" + RUN, port);
    fixture.run(
        fixture.createPod(name, "quiet-node-" + RUN, NodeAgentFixture.container("app", LINES)),
        0,
        Map.of());
    HttpResponse<InputStream> follow =
        fixture.api.http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        fixture.api.base()
                            + "/api/v1/namespaces/default/pods/"
                            + name
                            + "/log?follow=1"))
                .header("Authorization", "Bearer " + fixture.api.token)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(follow.statusCode()).isEqualTo(200);
    assertThat(new String(follow.body().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("line 0");
    assertThat(connectionsTo(port)).isEqualTo(1);
    follow.body().close();
    await().atMost(Duration.ofSeconds(10)).until(() -> connectionsTo(port) == 0);
  }

  /** The established connections to a local port, as ss counts them. */
  private static int connectionsTo(int port) throws Exception {
    Process ss =
        new ProcessBuilder("ss", "-tnH", "state", "established", "( sport = :" + port + " )")
            .redirectErrorStream(true)
            .start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ss.waitFor(10, TimeUnit.SECONDS);
    return (int) out.lines().filter(l -> !l.isBlank()).count();
  }

  @Test
  void theAgentServesOnlyCallersWithAValidToken() throws Exception {
    AgentClient agent = new AgentClient(fixture.agentPort());
    String path = "/containerLogs/default/" + POD + "/app?tailLines=1";
    assertThat(agent.get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(agent.get(path, null).statusCode()).isEqualTo(401);
    assertThat(agent.get(path, "not-a-token").statusCode()).isEqualTo(401);
    HttpResponse<String> served = agent.get(path, fixture.api.token);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).matches("line \\d+\n");
    assertThat(
            agent
                .get("/containerLogs/default/" + POD + "/app?tailLines=x", fixture.api.token)
                .statusCode())
        .isEqualTo(400);
  }

  private static HttpResponse<String> log(String pod, String query) throws Exception {
    return fixture.api.send("GET", "/api/v1/namespaces/default/pods/" + pod + "/log" + query, null);
  }

  private static JsonNode status(HttpResponse<String> response, int code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
    JsonNode status = ApiFixture.json(response);
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("code").asInt()).isEqualTo(code);
    return status;
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  record Result(int exit, String output) {}

  private static Result kubectl(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "kubectl",
                "--kubeconfig",
                fixture.kubeconfig.toString(),
                "--request-timeout",
                "30s"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
