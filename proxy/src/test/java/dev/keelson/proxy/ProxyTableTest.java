package dev.keelson.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyTableTest {

  private static final ServicePortName WEB = new ServicePortName("default", "web", "");

  @Test
  void aClusterIpServiceListensOnItsAddressAndRoutesToReadyEndpointsOnly() {
    ProxyTable table =
        ProxyTable.of(
            List.of(Fixtures.service("web", "127.64.0.10", 80, null)),
            List.of(Fixtures.endpoints("web", 32768, "127.0.0.3", "127.0.0.2", null, "127.0.0.9")),
            "127.0.0.1",
            null);

    assertThat(table.frontends())
        .containsExactly(Map.entry(new Frontend("127.64.0.10", 80, Frontend.Kind.CLUSTER_IP), WEB));
    assertThat(table.routes().get(WEB).backends())
        .containsExactly(new Backend("127.0.0.2", 32768), new Backend("127.0.0.3", 32768));
    assertThat(table.routes().get(WEB).affinity()).isZero();
  }

  @Test
  void aNodePortServiceAlsoListensOnTheNodeAddress() {
    ProxyTable table =
        ProxyTable.of(
            List.of(Fixtures.service("web", "127.64.0.10", 80, 30080)),
            List.of(),
            "127.0.0.1",
            null);

    assertThat(table.frontends().keySet())
        .containsExactlyInAnyOrder(
            new Frontend("127.64.0.10", 80, Frontend.Kind.CLUSTER_IP),
            new Frontend("127.0.0.1", 30080, Frontend.Kind.NODE_PORT));
    assertThat(table.routes().get(WEB).backends()).isEmpty();
  }

  @Test
  void proxyPortsListenOnThePodGatewayOnlyWhenThereIsOne() {
    Service service = Fixtures.service("web", "127.64.0.10", 80, null);
    service
        .getMetadata()
        .setAnnotations(
            Map.of(
                dev.keelson.api.ProxyPorts.ANNOTATION,
                "[{\"port\":80,\"protocol\":\"TCP\",\"proxyPort\":20001}]"));

    assertThat(ProxyTable.of(List.of(service), List.of(), "127.0.0.1", "172.17.0.1").frontends())
        .containsEntry(new Frontend("172.17.0.1", 20001, Frontend.Kind.POD_GATEWAY), WEB);
    assertThat(ProxyTable.of(List.of(service), List.of(), "127.0.0.1", null).frontends())
        .hasSize(1);
  }

  @Test
  void aMalformedProxyPortsAnnotationIsIgnored() {
    Service service = Fixtures.service("web", "127.64.0.10", 80, null);
    service
        .getMetadata()
        .setAnnotations(Map.of(dev.keelson.api.ProxyPorts.ANNOTATION, "{not json"));

    assertThat(ProxyTable.of(List.of(service), List.of(), "127.0.0.1", "172.17.0.1").frontends())
        .hasSize(1);
  }

  @Test
  void namedPortsRouteToTheEndpointPortOfTheSameName() {
    Service service =
        new ServiceBuilder(Fixtures.service("web", "127.64.0.10", 80, null))
            .editSpec()
            .withPorts(
                new ServicePortBuilder().withName("http").withPort(80).withProtocol("TCP").build(),
                new ServicePortBuilder()
                    .withName("admin")
                    .withPort(9090)
                    .withProtocol("TCP")
                    .build(),
                new ServicePortBuilder().withName("dns").withPort(53).withProtocol("UDP").build())
            .endSpec()
            .build();
    var endpoints = Fixtures.endpoints("web", 0, "127.0.0.2");
    endpoints
        .getSubsets()
        .get(0)
        .setPorts(
            List.of(
                new io.fabric8.kubernetes.api.model.EndpointPortBuilder()
                    .withName("http")
                    .withPort(31000)
                    .withProtocol("TCP")
                    .build(),
                new io.fabric8.kubernetes.api.model.EndpointPortBuilder()
                    .withName("admin")
                    .withPort(31001)
                    .withProtocol("TCP")
                    .build()));

    ProxyTable table = ProxyTable.of(List.of(service), List.of(endpoints), "127.0.0.1", null);

    assertThat(table.routes().get(new ServicePortName("default", "web", "http")).backends())
        .containsExactly(new Backend("127.0.0.2", 31000));
    assertThat(table.routes().get(new ServicePortName("default", "web", "admin")).backends())
        .containsExactly(new Backend("127.0.0.2", 31001));
    assertThat(table.frontends()).hasSize(2); // UDP is not proxied
  }

  @Test
  void headlessAndExternalNameServicesGetNoListener() {
    Service headless = Fixtures.service("db", "None", 5432, null);
    Service external =
        new ServiceBuilder(Fixtures.service("ext", "", 80, null))
            .editSpec()
            .withType("ExternalName")
            .withExternalName("example.internal")
            .endSpec()
            .build();

    assertThat(ProxyTable.of(List.of(headless, external), List.of(), "127.0.0.1", null).frontends())
        .isEmpty();
  }

  @Test
  void clientIpAffinityTakesItsTimeoutOrUpstreamsDefault() {
    Service sticky =
        new ServiceBuilder(Fixtures.service("web", "127.64.0.10", 80, null))
            .editSpec()
            .withSessionAffinity("ClientIP")
            .endSpec()
            .build();

    assertThat(
            ProxyTable.of(List.of(sticky), List.of(), "127.0.0.1", null)
                .routes()
                .get(WEB)
                .affinity())
        .isEqualTo(Duration.ofSeconds(10800));
  }
}
