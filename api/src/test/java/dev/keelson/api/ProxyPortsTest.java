package dev.keelson.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyPortsTest {

  @Test
  void theAnnotationIsACompactListSortedByPort() {
    String value =
        ProxyPorts.format(
            List.of(
                new ProxyPorts.Entry(443, "TCP", 20002), new ProxyPorts.Entry(80, "TCP", 20417)));
    assertThat(value)
        .isEqualTo(
            "[{\"port\":80,\"protocol\":\"TCP\",\"proxyPort\":20417},"
                + "{\"port\":443,\"protocol\":\"TCP\",\"proxyPort\":20002}]");
  }

  @Test
  void aServiceReadsBackWhatWasWritten() {
    ObjectNode service = Json.object();
    service
        .putObject("metadata")
        .putObject("annotations")
        .put(ProxyPorts.ANNOTATION, "[{\"port\":80,\"protocol\":\"TCP\",\"proxyPort\":20001}]");
    assertThat(ProxyPorts.of(service)).containsExactly(new ProxyPorts.Entry(80, "TCP", 20001));
  }

  @Test
  void aMissingOrMalformedAnnotationHoldsNothing() {
    ObjectNode service = Json.object();
    assertThat(ProxyPorts.of(service)).isEmpty();
    service.putObject("metadata").putObject("annotations").put(ProxyPorts.ANNOTATION, "[{\"por");
    assertThat(ProxyPorts.of(service)).isEmpty();
    ((ObjectNode) service.path("metadata").path("annotations"))
        .put(ProxyPorts.ANNOTATION, "[{\"port\":80},{\"port\":81,\"proxyPort\":20001}]");
    assertThat(ProxyPorts.of(service)).containsExactly(new ProxyPorts.Entry(81, "TCP", 20001));
  }
}
