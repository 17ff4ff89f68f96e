package dev.keelson.e2e.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.api.Json;
import dev.keelson.e2e.agent.Cluster;
import dev.keelson.nodeagent.agent.AgentProcess;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Job controller against a real API, with its pods run by simulated nodes (a stand-in binds
 * them, as no scheduler runs here): Jobs complete, fail past their backoff limit, and fail past
 * their deadline, as upstream's do.
 */
class JobIT {

  static final String NS = "default";

  @TempDir static Path dir;
  static Cluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    client = cluster.client;
    cluster.controllers(s -> s);
    cluster.scheduler(s -> s);
    String prefix = Cluster.uniqueNode("job");
    // Each pod looked at every second (not the simulated nodes' 5 s), so an exit is seen soon.
    AgentProcess agent =
        cluster.agent(
            prefix,
            2,
            null,
            null,
            null,
            Map.of(),
            s -> s.withPeriods(Duration.ofSeconds(1), s.leaseRenewal(), s.statusReport()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void threeCompletionsTwoAtATimeComplete() {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    create("complete", 3, 2, 6, null, "[\"exit=0\"]");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              List<Pod> pods = pods("complete");
              pods.forEach(p -> seen.add(p.getMetadata().getName()));
              long running = pods.stream().filter(p -> !terminal(p)).count();
              assertThat(running).as("pods running at once").isLessThanOrEqualTo(2);
              assertThat(condition(job("complete"), "Complete")).isEqualTo("CompletionsReached");
            });
    Job job = job("complete");
    assertThat(job.getStatus().getSucceeded()).isEqualTo(3);
    assertThat(job.getStatus().getActive()).isNull();
    assertThat(job.getStatus().getCompletionTime()).isNotNull();
    assertThat(job.getStatus().getStartTime()).isNotNull();
    assertThat(condition(job, "SuccessCriteriaMet")).isEqualTo("CompletionsReached");
    // Exactly three pods were ever made: none over-created.
    assertThat(seen).hasSize(3);
    Pod pod = pods("complete").get(0);
    assertThat(pod.getMetadata().getName()).startsWith("complete-");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("batch.kubernetes.io/job-name", "complete")
        .containsEntry("job-name", "complete")
        .containsEntry("batch.kubernetes.io/controller-uid", job.getMetadata().getUid())
        .containsEntry("controller-uid", job.getMetadata().getUid());
    OwnerReference owner = pod.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getKind()).isEqualTo("Job");
    assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Map<String, Integer> reasons = events("complete");
              assertThat(reasons).containsEntry("SuccessfulCreate", 3).containsKey("Completed");
            });
  }

  @Test
  void anIndexedJobRunsEachIndexOnce() {
    createIndexed("indexed", 3);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(condition(job("indexed"), "Complete"))
                    .as(() -> describe("indexed"))
                    .isEqualTo("CompletionsReached"));
    Job job = job("indexed");
    assertThat(job.getStatus().getCompletedIndexes()).isEqualTo("0-2");
    assertThat(job.getStatus().getSucceeded()).isEqualTo(3);
    assertThat(pods("indexed"))
        .extracting(
            p -> p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index"))
        .containsExactlyInAnyOrder("0", "1", "2");
    assertThat(pods("indexed"))
        .allSatisfy(
            p ->
                assertThat(p.getSpec().getHostname())
                    .isEqualTo(
                        "indexed-"
                            + p.getMetadata()
                                .getLabels()
                                .get("batch.kubernetes.io/job-completion-index")));
  }

  @Test
  void aPodThatKeepsFailingFailsTheJobPastItsBackoffLimit() {
    create("failing", 1, 1, 1, null, "[\"exit=1\"]");
    // Two failures: the first pod, and its replacement after upstream's 10 s back-off.
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(condition(job("failing"), "Failed")).isEqualTo("BackoffLimitExceeded"));
    Job job = job("failing");
    assertThat(job.getStatus().getFailed()).isEqualTo(2);
    assertThat(job.getStatus().getSucceeded()).isNull();
    assertThat(condition(job, "FailureTarget")).isEqualTo("BackoffLimitExceeded");
    assertThat(job.getStatus().getCompletionTime()).isNull();
    assertThat(pods("failing")).hasSize(2).allMatch(p -> "Failed".equals(p.getStatus().getPhase()));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(events("failing")).containsKey("BackoffLimitExceeded"));
  }

  @Test
  void aJobPastItsDeadlineFailsAndItsPodsAreDeleted() {
    create("deadline", 1, 2, 6, 2L, "[sleep, \"3600\"]");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(condition(job("deadline"), "Failed")).isEqualTo("DeadlineExceeded"));
    assertThat(pods("deadline")).isEmpty();
    Job job = job("deadline");
    assertThat(job.getStatus().getActive()).isNull();
    assertThat(job.getStatus().getTerminating()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(events("deadline")).containsKey("DeadlineExceeded"));
  }

  @Test
  void deletingAJobDeletesItsPods() {
    create("deleted", 2, 2, 6, null, "[sleep, \"3600\"]");
    await().atMost(Duration.ofSeconds(30)).until(() -> pods("deleted").size() == 2);
    client.batch().v1().jobs().inNamespace(NS).withName("deleted").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> pods("deleted").isEmpty());
  }

  private static void create(
      String name,
      int completions,
      int parallelism,
      int backoffLimit,
      Long deadline,
      String argsOrCommand) {
    String key = argsOrCommand.contains("exit=") ? "args" : "command";
    String yaml =
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s}
        spec:
          completions: %d
          parallelism: %d
          backoffLimit: %d
          %s
          template:
            spec:
              restartPolicy: Never
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: keelson/busybox:1
                %s: %s
        """
            .formatted(
                name,
                completions,
                parallelism,
                backoffLimit,
                deadline == null ? "" : "activeDeadlineSeconds: " + deadline,
                key,
                argsOrCommand);
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(NS)
          .resource(Json.yaml().readValue(yaml, Job.class))
          .create();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void createIndexed(String name, int completions) {
    String yaml =
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s}
        spec:
          completions: %d
          parallelism: %d
          completionMode: Indexed
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: keelson/busybox:1
                args: ["exit=0"]
                # Set here, so the controller adds no JOB_COMPLETION_INDEX of its own: the node
                # agent does not resolve a fieldRef to metadata.annotations['...'] yet.
                env: [{name: JOB_COMPLETION_INDEX, value: "set-by-template"}]
        """
            .formatted(name, completions, completions);
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(NS)
          .resource(Json.yaml().readValue(yaml, Job.class))
          .create();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The job's status and its pods' phases and container states, for a failure's message. */
  private static String describe(String name) {
    Job job = job(name);
    return Json.text(job == null ? null : job.getStatus())
        + " pods: "
        + pods(name).stream()
            .map(
                p ->
                    p.getMetadata().getName()
                        + " "
                        + (p.getStatus() == null
                            ? "?"
                            : p.getStatus().getPhase()
                                + " "
                                + Json.text(p.getStatus().getContainerStatuses())))
            .collect(Collectors.joining("; "));
  }

  private static Job job(String name) {
    return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
  }

  private static List<Pod> pods(String job) {
    return client
        .pods()
        .inNamespace(NS)
        .withLabel("batch.kubernetes.io/job-name", job)
        .list()
        .getItems();
  }

  private static boolean terminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** The reason of the job's condition of {@code type} when it is True, else null. */
  private static String condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type) && c.getStatus().equals("True"))
        .map(JobCondition::getReason)
        .findFirst()
        .orElse(null);
  }

  /** The job-controller's events about a job: reason to count. */
  private static Map<String, Integer> events(String job) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> job.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Job".equals(e.getInvolvedObject().getKind()))
        .filter(e -> "job-controller".equals(e.getSource().getComponent()))
        .collect(Collectors.groupingBy(Event::getReason, Collectors.summingInt(Event::getCount)));
  }
}
