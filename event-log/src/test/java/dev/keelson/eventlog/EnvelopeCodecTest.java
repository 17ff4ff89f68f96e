package dev.keelson.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.api.Json;
import dev.keelson.api.change.Actor;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

  @Test
  void anEnvelopeSurvivesTheRoundTrip() {
    ChangeEnvelope envelope =
        new ChangeEnvelope(
            Op.UPDATE,
            Precondition.atVersion("42"),
            Json.parseObject(
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                    + "\"metadata\":{\"name\":\"web\",\"namespace\":\"prod\"}}"),
            new Actor("alice", List.of("system:authenticated")),
            "req-1",
            Instant.parse("2026-11-23T10:15:30.123Z"));
    byte[] bytes = EnvelopeCodec.encode(envelope);
    assertThat(EnvelopeCodec.decode(bytes)).isEqualTo(envelope);
    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .contains("\"op\":\"UPDATE\"")
        .contains("\"precondition\":{\"resourceVersion\":\"42\"}")
        .contains("\"time\":\"2026-11-23T10:15:30.123Z\"");
    assertThat(envelope.key().toString()).isEqualTo("apps/Deployment/prod/web");
  }

  @Test
  void whatIsNotAnEnvelopeIsRefusedWithAReason() {
    assertThatThrownBy(() -> EnvelopeCodec.decode(new byte[] {1, 2, 3}))
        .isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> decode("[1,2]")).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> decode("{\"op\":\"PATCH\",\"object\":{}}"))
        .hasMessageContaining("unknown op");
    assertThatThrownBy(() -> decode("{\"op\":\"CREATE\"}")).hasMessageContaining("no object");
    assertThatThrownBy(() -> decode("{\"op\":\"CREATE\",\"object\":{\"kind\":\"Pod\"}}"))
        .hasMessageContaining("metadata.name");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"op\":\"CREATE\",\"time\":\"yesterday\",\"object\":{\"kind\":\"Pod\","
                        + "\"metadata\":{\"name\":\"p\"}}}"))
        .hasMessageContaining("bad envelope field");
    assertThatThrownBy(() -> EnvelopeCodec.decode(null))
        .isInstanceOf(MalformedRecordException.class);
  }

  private static ChangeEnvelope decode(String json) {
    return EnvelopeCodec.decode(json.getBytes(StandardCharsets.UTF_8));
  }
}
