package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PodLogOptionsTest {

  private static PodLogOptions parse(Map<String, String> query) {
    return PodLogOptions.parse(query::get, "web");
  }

  private static ApiStatus refused(Map<String, String> query) {
    try {
      parse(query);
    } catch (PodLogOptions.Refused e) {
      return e.status;
    }
    throw new AssertionError("not refused: " + query);
  }

  @Test
  void theAgentIsAskedWithWhatWasSetOnly() {
    assertThat(parse(Map.of()).agentQuery()).isEmpty();
    assertThat(parse(Map.of("container", "app")).container()).isEqualTo("app");
    assertThat(
            parse(
                    Map.of(
                        "follow", "true",
                        "tailLines", "2",
                        "timestamps", "1",
                        "previous", "false",
                        "sinceTime", "2025-01-01T00:00:00+01:00"))
                .agentQuery())
        .isEqualTo("follow=true&timestamps=true&sinceTime=2024-12-31T23%3A00%3A00Z&tailLines=2");
    assertThat(parse(Map.of("limitBytes", "10", "sinceSeconds", "5")).agentQuery())
        .isEqualTo("sinceSeconds=5&limitBytes=10");
  }

  @Test
  void invalidOptionsAreRefusedAsUpstreamValidatesThem() {
    ApiStatus negative = refused(Map.of("tailLines", "-1"));
    assertThat(negative.code()).isEqualTo(422);
    assertThat(negative.message())
        .isEqualTo(
            "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than"
                + " or equal to 0");
    assertThat(refused(Map.of("limitBytes", "0")).code()).isEqualTo(422);
    assertThat(refused(Map.of("sinceSeconds", "1", "sinceTime", "2025-01-01T00:00:00Z")).code())
        .isEqualTo(422);
    assertThat(refused(Map.of("tailLines", "ten")).code()).isEqualTo(400);
    assertThat(refused(Map.of("sinceTime", "yesterday")).code()).isEqualTo(400);
    assertThatThrownBy(() -> parse(Map.of("sinceSeconds", "0")))
        .isInstanceOf(PodLogOptions.Refused.class);
  }
}
