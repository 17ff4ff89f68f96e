package dev.keelson.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import org.junit.jupiter.api.Test;

class PodJsonTest {

  @Test
  void createIsAboutOneAndAHalfKibOfPodWithTheNameAndNoResourceVersion() {
    byte[] body = PodJson.create("c16-3-1042");

    assertThat(body.length).isBetween(1400, 1700);
    ObjectNode pod = Json.parseObject(body);
    assertThat(pod.path("kind").asText()).isEqualTo("Pod");
    assertThat(pod.path("metadata").path("name").asText()).isEqualTo("c16-3-1042");
    assertThat(pod.path("metadata").path("namespace").asText()).isEqualTo("default");
    assertThat(pod.path("metadata").has("resourceVersion")).isFalse();
  }

  @Test
  void updateCarriesTheVersionReadAndChangesTheRevisionAnnotation() {
    ObjectNode pod = Json.parseObject(PodJson.update("c16-3-1042", "5731", 7));

    assertThat(pod.path("metadata").path("resourceVersion").asText()).isEqualTo("5731");
    assertThat(pod.path("metadata").path("annotations").path("bench.keelson.dev/revision").asText())
        .isEqualTo("7");
    assertThat(
            Json.parseObject(PodJson.create("c16-3-1042"))
                .path("metadata")
                .path("annotations")
                .path("bench.keelson.dev/revision")
                .asText())
        .isEqualTo("0");
  }
}
