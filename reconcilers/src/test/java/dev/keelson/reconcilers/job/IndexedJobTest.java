package dev.keelson.reconcilers.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** An Indexed Job: each index up to completions succeeds once, the lowest pending ones first. */
class IndexedJobTest {

  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  static JobView indexed(int completions, int parallelism, String completedIndexes) {
    return new JobView(
        "work",
        "job-uid",
        parallelism,
        completions,
        6,
        null,
        false,
        "Never",
        false,
        false,
        NOW.minusSeconds(60),
        0,
        0,
        List.of(),
        true,
        completedIndexes);
  }

  private int serial;

  JobPod pod(int index, String phase, boolean assigned) {
    int n = serial++;
    return new JobPod(
        ResourceKey.of("", "Pod", "default", "work-" + index + "-" + n),
        "uid-" + n,
        phase,
        false,
        assigned,
        phase.equals("Running"),
        0,
        NOW.minusSeconds(100 - n),
        phase.equals("Succeeded") ? NOW.minusSeconds(1) : null,
        index);
  }

  static JobPlan decide(JobView job, List<JobPod> pods) {
    return JobSync.decide(job, pods, NOW, true, PodFailureBackoff.UPSTREAM);
  }

  @Test
  void startsTheLowestPendingIndexesUpToParallelism() {
    assertThat(decide(indexed(4, 2, ""), List.of()).indexes()).containsExactly(0, 1);
    JobPlan next =
        decide(indexed(4, 2, ""), List.of(pod(0, "Succeeded", true), pod(1, "Running", true)));
    assertThat(next.indexes()).containsExactly(2);
    assertThat(next.create()).isEqualTo(1);
    assertThat(next.completedIndexes()).isEqualTo("0");
    assertThat(next.succeeded()).isEqualTo(1);
  }

  @Test
  void anIndexRunTwiceOrAlreadySucceededLosesItsSurplusPods() {
    JobPod running = pod(1, "Running", true);
    JobPod pendingTwin = pod(1, "Pending", false);
    JobPod late = pod(0, "Running", true);
    JobPlan plan = decide(indexed(3, 3, "0"), List.of(running, pendingTwin, late));
    assertThat(plan.delete()).containsExactlyInAnyOrder(pendingTwin, late);
    assertThat(plan.create()).isZero();
  }

  @Test
  void completesWhenEveryIndexSucceeded() {
    JobPlan plan = decide(indexed(3, 2, "0-1"), List.of(pod(2, "Succeeded", true)));
    assertThat(plan.completedIndexes()).isEqualTo("0-2");
    assertThat(plan.succeeded()).isEqualTo(3);
    assertThat(plan.completed()).isTrue();
  }

  @Test
  void completedIndexesReadAndWriteAsRanges() {
    assertThat(CompletionIndexes.parse("1,3-5,7,9-20", 10)).containsExactly(1, 3, 4, 5, 7, 9);
    assertThat(CompletionIndexes.format(new TreeSet<>(List.of(0, 1, 2, 4, 6, 7))))
        .isEqualTo("0-2,4,6-7");
    assertThat(CompletionIndexes.format(new TreeSet<>())).isEmpty();
    assertThat(CompletionIndexes.of("3")).isEqualTo(3);
    assertThat(CompletionIndexes.of("x")).isNull();
  }

  @Test
  void anIndexedPodCarriesItsIndex() {
    ObjectNode job =
        Json.parseObject(
            """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"w","namespace":"n","uid":"u"},
             "spec":{"template":{"spec":{"containers":[{"name":"a","image":"x"},
               {"name":"b","image":"x","env":[{"name":"JOB_COMPLETION_INDEX","value":"mine"}]}]}}}}
            """);
    ObjectNode pod = JobPods.fromTemplate(job, 3);
    assertThat(Meta.name(pod)).startsWith("w-3-");
    assertThat(pod.path("metadata").path("annotations").path(CompletionIndexes.ANNOTATION).asText())
        .isEqualTo("3");
    assertThat(Meta.labels(pod)).containsEntry(CompletionIndexes.ANNOTATION, "3");
    assertThat(pod.path("spec").path("hostname").asText()).isEqualTo("w-3");
    assertThat(
            pod.path("spec")
                .path("containers")
                .get(0)
                .path("env")
                .get(0)
                .path("valueFrom")
                .path("fieldRef")
                .path("fieldPath")
                .asText())
        .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    assertThat(pod.path("spec").path("containers").get(1).path("env")).hasSize(1);
  }
}
