package dev.keelson.apiserver.table;

import static dev.keelson.apiserver.table.TableConvertorTest.NOW;
import static dev.keelson.apiserver.table.TableConvertorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The STATUS, READY and RESTARTS of pods in the states kubectl users meet. */
class PodPrinterTest {

  private final PodPrinter printer = new PodPrinter();

  @Test
  void aCrashLoopShowsTheWaitingReasonAndTheLastRestart() {
    ObjectNode pod =
        pod(
            """
            phase: Running
            containerStatuses:
            - name: app
              ready: false
              restartCount: 5
              state: {waiting: {reason: CrashLoopBackOff, message: back-off 2m40s}}
              lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: "2024-06-01T11:59:20Z"}}
            """);
    assertThat(cells(pod).subList(1, 4)).containsExactly("0/1", "CrashLoopBackOff", "5 (40s ago)");
  }

  @Test
  void initContainersShowProgressOrTheirFailure() {
    ObjectNode running =
        pod(
            """
            phase: Pending
            initContainerStatuses:
            - {name: migrate, ready: false, restartCount: 0, state: {running: {startedAt: "2024-06-01T11:59:00Z"}}}
            containerStatuses:
            - {name: app, ready: false, restartCount: 0, state: {waiting: {reason: PodInitializing}}}
            """,
            "initContainers: [{name: migrate, image: m}, {name: seed, image: s}]");
    assertThat(cells(running).subList(1, 4)).containsExactly("0/1", "Init:0/2", "0");

    ObjectNode failed =
        pod(
            """
            phase: Pending
            initContainerStatuses:
            - {name: migrate, ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}
            - {name: seed, ready: false, restartCount: 2, state: {terminated: {exitCode: 3, reason: Error}},
               lastState: {terminated: {exitCode: 3, finishedAt: "2024-06-01T11:58:00Z"}}}
            """,
            "initContainers: [{name: migrate, image: m}, {name: seed, image: s}]");
    // While initializing, RESTARTS counts the init containers' restarts.
    assertThat(cells(failed).subList(1, 4)).containsExactly("0/1", "Init:Error", "2 (2m ago)");

    ObjectNode killed =
        pod(
            """
            phase: Pending
            initContainerStatuses:
            - {name: migrate, ready: false, restartCount: 0, state: {terminated: {exitCode: 137, signal: 9}}}
            """,
            "initContainers: [{name: migrate, image: m}]");
    assertThat(cells(killed).get(2)).isEqualTo("Init:Signal:9");
  }

  @Test
  void aStartedSidecarCountsAsAReadyContainer() {
    ObjectNode pod =
        pod(
            """
            phase: Running
            conditions: [{type: Initialized, status: "True"}, {type: Ready, status: "True"}]
            initContainerStatuses:
            - {name: proxy, ready: true, started: true, restartCount: 1, state: {running: {}},
               lastState: {terminated: {exitCode: 2, finishedAt: "2024-06-01T11:00:00Z"}}}
            containerStatuses:
            - {name: app, ready: true, restartCount: 0, state: {running: {}}}
            """,
            "initContainers: [{name: proxy, image: envoy, restartPolicy: Always}]");
    assertThat(cells(pod).subList(1, 4)).containsExactly("2/2", "Running", "1 (60m ago)");
  }

  @Test
  void aCompletedPodCarriesARowCondition() {
    ObjectNode pod =
        pod(
            """
            phase: Succeeded
            containerStatuses:
            - {name: app, ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}
            """);
    assertThat(cells(pod).subList(1, 4)).containsExactly("0/1", "Completed", "0");
    JsonNode condition = printer.conditions(pod).get(0);
    assertThat(condition.path("type").asText()).isEqualTo("Completed");
    assertThat(condition.path("status").asText()).isEqualTo("True");
    assertThat(condition.path("reason").asText()).isEqualTo("Succeeded");
    assertThat(condition.path("message").asText()).isEqualTo("The pod has completed successfully.");
    assertThat(printer.conditions(pod("phase: Running"))).isNull();
  }

  @Test
  void anExitWithoutReasonShowsTheExitCode() {
    ObjectNode pod =
        pod(
            """
            phase: Failed
            containerStatuses:
            - {name: app, ready: false, restartCount: 0, state: {terminated: {exitCode: 2}}}
            """);
    assertThat(cells(pod).get(2)).isEqualTo("ExitCode:2");
    assertThat(printer.conditions(pod).get(0).path("message").asText())
        .isEqualTo("The pod failed.");
  }

  @Test
  void aDeletedPodIsTerminatingUnlessItHasFinished() {
    ObjectNode running = pod("phase: Running");
    ((ObjectNode) running.path("metadata")).put("deletionTimestamp", "2024-06-01T11:59:59Z");
    assertThat(cells(running).get(2)).isEqualTo("Terminating");

    ObjectNode lost = pod("{phase: Running, reason: NodeLost}");
    ((ObjectNode) lost.path("metadata")).put("deletionTimestamp", "2024-06-01T11:59:59Z");
    assertThat(cells(lost).get(2)).isEqualTo("Unknown");

    ObjectNode done = pod("phase: Succeeded");
    ((ObjectNode) done.path("metadata")).put("deletionTimestamp", "2024-06-01T11:59:59Z");
    assertThat(cells(done).get(2)).isEqualTo("Succeeded");
  }

  @Test
  void aCompletedContainerBesideARunningOneLeavesThePodRunning() {
    ObjectNode pod =
        pod(
            """
            phase: Running
            conditions: [{type: Ready, status: "False"}]
            containerStatuses:
            - {name: app, ready: true, restartCount: 0, state: {running: {}}}
            - {name: job, ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}
            """,
            "containers: [{name: app, image: a}, {name: job, image: j}]");
    assertThat(cells(pod).subList(1, 3)).containsExactly("1/2", "NotReady");
  }

  @Test
  void schedulingGatesAndTheWideColumns() {
    ObjectNode gated =
        pod(
            """
            phase: Pending
            conditions: [{type: PodScheduled, status: "False", reason: SchedulingGated}]
            """);
    assertThat(cells(gated).get(2)).isEqualTo("SchedulingGated");

    ObjectNode gates =
        pod(
            """
            phase: Running
            podIP: 10.244.2.9
            nominatedNodeName: node-2
            conditions:
            - {type: example.com/lb-ready, status: "True"}
            - {type: example.com/dns-ready, status: "False"}
            """,
            "readinessGates: [{conditionType: example.com/lb-ready}, {conditionType: example.com/dns-ready}]");
    assertThat(cells(gates).subList(5, 9)).containsExactly("10.244.2.9", "<none>", "node-2", "1/2");
  }

  private List<Object> cells(ObjectNode pod) {
    return printer.cells(pod, NOW);
  }

  private static ObjectNode pod(String status) {
    return pod(status, "containers: [{name: app, image: app}]");
  }

  /** A pod created ten minutes before NOW, with the given status and extra spec fields. */
  private static ObjectNode pod(String status, String spec) {
    ObjectNode pod =
        yaml(
            "apiVersion: v1\nkind: Pod\n"
                + "metadata: {name: p, namespace: default, creationTimestamp: \"2024-06-01T11:50:00Z\"}\n");
    ObjectNode specNode = yaml(spec);
    if (!specNode.has("containers")) {
      specNode.set("containers", yaml("containers: [{name: app, image: app}]").get("containers"));
    }
    pod.set("spec", specNode);
    pod.set("status", yaml(status));
    return pod;
  }
}
