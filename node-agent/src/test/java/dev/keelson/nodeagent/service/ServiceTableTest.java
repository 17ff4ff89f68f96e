package dev.keelson.nodeagent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.nodeagent.runtime.ServiceRoute;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceTableTest {

  @Test
  void everyTcpPortWithAProxyPortIsARoute() {
    ServiceTable table =
        ServiceTable.of(List.of(Services.parse(Services.WEB), Services.parse(Services.DB)));

    assertThat(table.routes())
        .containsExactly(
            new ServiceRoute("127.64.0.12", 80, 20001),
            new ServiceRoute("127.64.0.12", 443, 20002),
            new ServiceRoute("127.64.0.3", 5432, 20000));
  }

  @Test
  void noClusterIpOrNoTrustworthyAnnotationIsNoRoute() {
    String headless =
        """
        metadata:
          name: headless
          namespace: shop
          annotations:
            keelson.dev/proxy-ports: '[{"port":80,"protocol":"TCP","proxyPort":20001}]'
        spec: {clusterIP: None, ports: [{port: 80}]}
        """;
    String garbled =
        """
        metadata:
          name: garbled
          namespace: shop
          annotations: {keelson.dev/proxy-ports: 'not json'}
        spec: {clusterIP: 127.64.0.5, ports: [{port: 80}]}
        """;
    String noAnnotation =
        """
        metadata: {name: plain, namespace: shop}
        spec: {clusterIP: 127.64.0.6, ports: [{port: 80}]}
        """;
    String injected =
        """
        metadata:
          name: injected
          namespace: shop
          annotations:
            keelson.dev/proxy-ports: '[{"port":80,"protocol":"TCP","proxyPort":20001}]'
        spec:
          clusterIP: "127.64.0.7/0 -j ACCEPT\\n-A OUTPUT"
          ports: [{port: 80}]
        """;

    ServiceTable table =
        ServiceTable.of(
            List.of(
                Services.parse(headless),
                Services.parse(garbled),
                Services.parse(noAnnotation),
                Services.parse(injected)));

    assertThat(table.routes()).isEmpty();
    assertThat(table.services()).hasSize(4);
  }
}
