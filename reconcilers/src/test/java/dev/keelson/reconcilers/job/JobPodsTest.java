package dev.keelson.reconcilers.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.OwnerRef;
import dev.keelson.projection.StoredObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod a Job's template makes, and what the controller reads back from its pods. */
class JobPodsTest {

  static StoredObject stored(ObjectNode object) {
    return new StoredObject(
        ResourceKey.of(object),
        7,
        Json.bytes(object),
        Meta.uid(object),
        Meta.labels(object),
        Map.of(),
        OwnerRef.of(object));
  }

  @Test
  void aPodFromTheTemplateIsNamedAfterTheJobLabelledAndControlledByIt() {
    ObjectNode job =
        Json.parseObject(
            """
            {"apiVersion":"batch/v1","kind":"Job",
             "metadata":{"name":"pi","namespace":"team","uid":"job-uid","labels":{"other":"x"}},
             "spec":{"template":{
               "metadata":{"labels":{"batch.kubernetes.io/job-name":"pi","job-name":"pi",
                 "batch.kubernetes.io/controller-uid":"job-uid","controller-uid":"job-uid"},
                 "annotations":{"a":"b"}},
               "spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"perl"}]}}}}
            """);
    ObjectNode pod = JobPods.fromTemplate(job, null);
    assertThat(pod.path("metadata").path("generateName").asText()).isEqualTo("pi-");
    assertThat(Meta.name(pod)).matches("pi-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(Meta.namespace(pod)).isEqualTo("team");
    assertThat(Meta.labels(pod))
        .containsEntry("batch.kubernetes.io/job-name", "pi")
        .containsEntry("controller-uid", "job-uid")
        .doesNotContainKey("other");
    assertThat(pod.path("metadata").path("annotations").path("a").asText()).isEqualTo("b");
    assertThat(OwnerRef.of(pod))
        .containsExactly(new OwnerRef("batch/v1", "Job", "pi", "job-uid", true, true));
    assertThat(pod.path("spec").path("restartPolicy").asText()).isEqualTo("Never");
    assertThat(JobPods.controller(stored(pod)))
        .isEqualTo(ResourceKey.of("batch", "Job", "team", "pi"));
  }

  @Test
  void readsPhaseReadinessRestartsAndWhenAPodFinished() {
    JobPod failed =
        JobPod.of(
            stored(
                Json.parseObject(
                    """
                    {"apiVersion":"v1","kind":"Pod",
                     "metadata":{"name":"pi-abcde","namespace":"team","uid":"p1",
                       "creationTimestamp":"2024-05-01T12:00:00Z"},
                     "spec":{"nodeName":"n1"},
                     "status":{"phase":"Failed","conditions":[{"type":"Ready","status":"False"}],
                       "containerStatuses":[
                         {"name":"a","restartCount":1,
                          "state":{"terminated":{"exitCode":1,"finishedAt":"2024-05-01T12:00:09Z"}}},
                         {"name":"b","restartCount":2,
                          "state":{"terminated":{"exitCode":1,"finishedAt":"2024-05-01T12:00:07Z"}}}]}}
                    """)));
    assertThat(failed.failed()).isTrue();
    assertThat(failed.active()).isFalse();
    assertThat(failed.assigned()).isTrue();
    assertThat(failed.restarts()).isEqualTo(3);
    assertThat(failed.finishedAt()).isEqualTo(Instant.parse("2024-05-01T12:00:09Z"));

    JobPod running =
        JobPod.of(
            stored(
                Json.parseObject(
                    """
                    {"apiVersion":"v1","kind":"Pod",
                     "metadata":{"name":"pi-fghjk","namespace":"team","uid":"p2",
                       "deletionTimestamp":"2024-05-01T12:01:00Z"},
                     "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}
                    """)));
    assertThat(running.ready()).isTrue();
    assertThat(running.active()).isFalse();
    assertThat(running.terminating()).isTrue();
    assertThat(running.finishedAt()).isNull();
  }
}
