package dev.keelson.nodeagent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogQueryTest {

  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

  private static LogQuery parse(Map<String, String> params) throws LogQuery.BadQuery {
    return LogQuery.parse(params::get, NOW);
  }

  @Test
  void anEmptyQueryAsksForTheWholeLogOfTheCurrentInstance() throws Exception {
    LogQuery query = parse(Map.of());
    assertThat(query.previous()).isFalse();
    assertThat(query.limitBytes()).isNull();
    assertThat(query.options().follow()).isFalse();
    assertThat(query.options().timestamps()).isFalse();
    assertThat(query.options().tailLines()).isNull();
    assertThat(query.options().since()).isNull();
  }

  @Test
  void flagsAreTrueUnlessZeroOrFalseAsTheApiConvertsThem() throws Exception {
    LogQuery query = parse(Map.of("follow", "true", "timestamps", "", "previous", "1"));
    assertThat(query.options().follow()).isTrue();
    assertThat(query.options().timestamps()).isTrue();
    assertThat(query.previous()).isTrue();
    LogQuery off = parse(Map.of("follow", "False", "timestamps", "0"));
    assertThat(off.options().follow()).isFalse();
    assertThat(off.options().timestamps()).isFalse();
  }

  @Test
  void numbersAndTimesAreRead() throws Exception {
    LogQuery query = parse(Map.of("tailLines", "2", "limitBytes", "100", "sinceSeconds", "60"));
    assertThat(query.options().tailLines()).isEqualTo(2);
    assertThat(query.limitBytes()).isEqualTo(100L);
    assertThat(query.options().since()).isEqualTo(NOW.minusSeconds(60));
    assertThat(parse(Map.of("sinceTime", "2025-01-01T00:00:00Z")).options().since())
        .isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
  }

  @Test
  void theOlderTailParameterStillCountsAndAllMeansEverything() throws Exception {
    assertThat(parse(Map.of("tail", "5")).options().tailLines()).isEqualTo(5);
    assertThat(parse(Map.of("tail", "all", "tailLines", "3")).options().tailLines()).isNull();
  }

  @Test
  void anUnreadableQueryIsABadRequestAndAnInvalidOneUnprocessable() {
    assertThatThrownBy(() -> parse(Map.of("tailLines", "x")))
        .isInstanceOfSatisfying(
            LogQuery.BadQuery.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> parse(Map.of("sinceTime", "yesterday")))
        .isInstanceOfSatisfying(
            LogQuery.BadQuery.class, e -> assertThat(e.status()).isEqualTo(400));
    for (Map<String, String> invalid :
        java.util.List.of(
            Map.of("tailLines", "-1"),
            Map.of("limitBytes", "0"),
            Map.of("sinceSeconds", "0"),
            Map.of("sinceSeconds", "5", "sinceTime", "2025-01-01T00:00:00Z"))) {
      assertThatThrownBy(() -> parse(invalid))
          .as("%s", invalid)
          .isInstanceOfSatisfying(
              LogQuery.BadQuery.class, e -> assertThat(e.status()).isEqualTo(422));
    }
  }
}
