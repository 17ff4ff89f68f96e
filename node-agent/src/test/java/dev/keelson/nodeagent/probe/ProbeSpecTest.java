package dev.keelson.nodeagent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A probe of the Pod API read into a {@link ProbeSpec}, with the API's defaults. */
class ProbeSpecTest {

  @Test
  void absentOrZeroFieldsTakeUpstreamDefaults() {
    ProbeSpec absent = ProbeSpec.parse(Json.parseObject("{\"tcpSocket\":{\"port\":80}}"));
    ProbeSpec zero =
        ProbeSpec.parse(
            Json.parseObject(
                "{\"tcpSocket\":{\"port\":80},\"initialDelaySeconds\":0,\"timeoutSeconds\":0,"
                    + "\"periodSeconds\":0,\"successThreshold\":0,\"failureThreshold\":0}"));
    for (ProbeSpec spec : List.of(absent, zero)) {
      assertThat(spec.initialDelaySeconds()).isZero();
      assertThat(spec.timeoutSeconds()).isEqualTo(1);
      assertThat(spec.periodSeconds()).isEqualTo(10);
      assertThat(spec.successThreshold()).isEqualTo(1);
      assertThat(spec.failureThreshold()).isEqualTo(3);
    }
  }

  @Test
  void givenTimingsAreKept() {
    ProbeSpec spec =
        ProbeSpec.parse(
            Json.parseObject(
                "{\"exec\":{\"command\":[\"true\"]},\"initialDelaySeconds\":5,\"timeoutSeconds\":2,"
                    + "\"periodSeconds\":3,\"successThreshold\":4,\"failureThreshold\":6}"));
    assertThat(spec)
        .isEqualTo(new ProbeSpec(new Handler.ExecAction(List.of("true")), 5, 2, 3, 4, 6));
  }

  @Test
  void anExecProbeKeepsItsCommandInOrder() {
    ProbeSpec spec =
        ProbeSpec.parse(
            Json.parseObject("{\"exec\":{\"command\":[\"/bin/sh\",\"-c\",\"test -f /ready\"]}}"));
    assertThat(spec.handler())
        .isEqualTo(new Handler.ExecAction(List.of("/bin/sh", "-c", "test -f /ready")));
  }

  @Test
  void anHttpGetProbeDefaultsToHttpOnSlashAndTheMissingHostToEmpty() {
    Handler handler =
        ProbeSpec.parse(Json.parseObject("{\"httpGet\":{\"port\":\"http\"}}")).handler();
    assertThat(handler).isInstanceOf(Handler.HttpGetAction.class);
    Handler.HttpGetAction get = (Handler.HttpGetAction) handler;
    assertThat(get.scheme()).isEqualTo("HTTP");
    assertThat(get.path()).isEqualTo("/");
    assertThat(get.host()).isEmpty();
    assertThat(get.port().asText()).isEqualTo("http");
    assertThat(get.headers()).isEmpty();
  }

  @Test
  void anHttpGetProbeKeepsSchemeHostPathAndHeaders() {
    JsonNode probe =
        Json.parseObject(
            "{\"httpGet\":{\"scheme\":\"HTTPS\",\"host\":\"10.1.2.3\",\"port\":8443,"
                + "\"path\":\"/healthz?full=1\",\"httpHeaders\":["
                + "{\"name\":\"Host\",\"value\":\"shop.example\"},"
                + "{\"name\":\"X-Probe\",\"value\":\"a\"},{\"name\":\"X-Probe\",\"value\":\"b\"}]}}");
    Handler.HttpGetAction get = (Handler.HttpGetAction) ProbeSpec.parse(probe).handler();
    assertThat(get.scheme()).isEqualTo("HTTPS");
    assertThat(get.host()).isEqualTo("10.1.2.3");
    assertThat(get.port().asInt()).isEqualTo(8443);
    assertThat(get.path()).isEqualTo("/healthz?full=1");
    assertThat(get.headers()).isEqualTo(Map.of("Host", "shop.example", "X-Probe", "a, b"));
  }

  @Test
  void aTcpSocketProbeKeepsHostAndPort() {
    Handler handler =
        ProbeSpec.parse(Json.parseObject("{\"tcpSocket\":{\"port\":6379,\"host\":\"db\"}}"))
            .handler();
    assertThat(handler).isInstanceOf(Handler.TcpSocketAction.class);
    assertThat(((Handler.TcpSocketAction) handler).host()).isEqualTo("db");
    assertThat(((Handler.TcpSocketAction) handler).port().asInt()).isEqualTo(6379);
  }

  @Test
  void grpcOrNoHandlerIsUnsupported() {
    assertThat(ProbeSpec.parse(Json.parseObject("{\"grpc\":{\"port\":9090}}")).handler())
        .isEqualTo(new Handler.Unsupported("grpc"));
    assertThat(ProbeSpec.parse(Json.parseObject("{\"periodSeconds\":5}")).handler())
        .isEqualTo(new Handler.Unsupported("none"));
  }

  @Test
  void noProbeIsNull() {
    assertThat(ProbeSpec.parse(null)).isNull();
    assertThat(ProbeSpec.parse(Json.object().path("livenessProbe"))).isNull();
  }
}
