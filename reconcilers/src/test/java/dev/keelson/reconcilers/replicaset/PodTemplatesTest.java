package dev.keelson.reconcilers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import org.junit.jupiter.api.Test;

class PodTemplatesTest {

  @Test
  void aPodOfTheTemplateIsNamedAfterAndControlledByItsReplicaSet() {
    ObjectNode rs =
        Json.parseObject(
            """
            {"apiVersion":"apps/v1","kind":"ReplicaSet",
             "metadata":{"name":"web-5d9c","namespace":"shop","uid":"u-1","labels":{"x":"y"}},
             "spec":{"replicas":2,"template":{
               "metadata":{"labels":{"app":"web"},"annotations":{"a":"b"}},
               "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """);
    ObjectNode pod = PodTemplates.podFor(rs);
    assertThat(pod.path("kind").asText()).isEqualTo("Pod");
    assertThat(pod.path("metadata").path("generateName").asText()).isEqualTo("web-5d9c-");
    assertThat(pod.path("metadata").path("namespace").asText()).isEqualTo("shop");
    assertThat(pod.path("metadata").path("labels"))
        .isEqualTo(Json.parseObject("{\"app\":\"web\"}"));
    assertThat(pod.path("metadata").path("annotations").path("a").asText()).isEqualTo("b");
    JsonNode owner = pod.path("metadata").path("ownerReferences").get(0);
    assertThat(owner.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(owner.path("kind").asText()).isEqualTo("ReplicaSet");
    assertThat(owner.path("name").asText()).isEqualTo("web-5d9c");
    assertThat(owner.path("uid").asText()).isEqualTo("u-1");
    assertThat(owner.path("controller").asBoolean()).isTrue();
    assertThat(owner.path("blockOwnerDeletion").asBoolean()).isTrue();
    assertThat(pod.path("spec").path("containers").get(0).path("image").asText())
        .isEqualTo("nginx");
  }
}
