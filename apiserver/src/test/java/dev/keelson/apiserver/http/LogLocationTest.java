package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import org.junit.jupiter.api.Test;

class LogLocationTest {

  private static JsonNode pod(String containers, String initContainers) {
    return Json.parseObject(
        "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"containers\":["
            + containers
            + "],\"initContainers\":["
            + initContainers
            + "]}}");
  }

  private static String refusal(JsonNode pod, String asked) {
    try {
      LogLocation.container(pod, asked);
    } catch (PodLogOptions.Refused e) {
      assertThat(e.status.code()).isEqualTo(400);
      assertThat(e.status.reason()).isEqualTo("BadRequest");
      return e.status.message();
    }
    throw new AssertionError("no refusal");
  }

  @Test
  void theOnlyContainerIsTheDefaultAndANamedOneMustBeThePods() {
    JsonNode one = pod("{\"name\":\"app\"}", "{\"name\":\"setup\"}");
    assertThat(LogLocation.container(one, "")).isEqualTo("app");
    assertThat(LogLocation.container(one, "setup")).isEqualTo("setup");
    assertThat(refusal(one, "nope")).isEqualTo("container nope is not valid for pod web");
  }

  @Test
  void withSeveralContainersOneMustBeNamedAsUpstreamSays() {
    assertThat(refusal(pod("{\"name\":\"a\"},{\"name\":\"b\"}", ""), ""))
        .isEqualTo("a container name must be specified for pod web, choose one of: [a b]");
    assertThat(refusal(pod("{\"name\":\"a\"},{\"name\":\"b\"}", "{\"name\":\"i\"}"), ""))
        .isEqualTo("a container name must be specified for pod web, choose one of: [i a b]");
    assertThat(refusal(pod("", ""), ""))
        .isEqualTo("a container name must be specified for pod web");
  }

  @Test
  void theAgentIsAtTheInternalIpAndTheKubeletEndpointPort() {
    JsonNode node =
        Json.parseObject(
            "{\"status\":{\"addresses\":[{\"type\":\"Hostname\",\"address\":\"n1\"},"
                + "{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":10999}}}}");
    assertThat(LogLocation.address(node)).contains("127.0.0.1");
    assertThat(LogLocation.port(node)).isEqualTo(10999);
    JsonNode bare = Json.parseObject("{\"status\":{\"addresses\":[]}}");
    assertThat(LogLocation.address(bare)).isEmpty();
    assertThat(LogLocation.port(bare)).isEqualTo(10250);
    assertThat(LogLocation.path("ns", "web", "app")).isEqualTo("/containerLogs/ns/web/app");
  }

  @Test
  void anAgentsFailureBecomesAStatusAsUpstreamsResponseCheckerMakesIt() {
    ApiStatus bad = PodLogs.agentFailure(400, "container \"app\" in pod \"web\" is waiting", "web");
    assertThat(bad.code()).isEqualTo(400);
    assertThat(bad.message()).isEqualTo("container \"app\" in pod \"web\" is waiting");
    ApiStatus unauthorized = PodLogs.agentFailure(401, "Unauthorized", "web");
    assertThat(unauthorized.reason()).isEqualTo("Unauthorized");
    assertThat(unauthorized.message())
        .isEqualTo("the server has asked for the client to provide credentials ( pods/log web)");
    assertThat(PodLogs.agentFailure(500, "boom", "web").message())
        .isEqualTo("Internal error occurred: boom");
  }
}
