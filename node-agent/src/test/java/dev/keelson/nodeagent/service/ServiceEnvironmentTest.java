package dev.keelson.nodeagent.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

  private static final String REDIS_MASTER =
      """
      metadata: {name: redis-master, namespace: shop}
      spec:
        clusterIP: 127.64.0.11
        ports: [{port: 6379}]
      """;

  private static final String WEB =
      """
      metadata: {name: web, namespace: shop}
      spec:
        clusterIP: 127.64.0.12
        ports:
        - {name: http, port: 80, protocol: TCP}
        - {name: dns-udp, port: 53, protocol: UDP}
      """;

  private static final String KUBERNETES =
      """
      metadata: {name: kubernetes, namespace: default}
      spec:
        clusterIP: 127.64.0.1
        ports: [{name: https, port: 443}]
      """;

  @Test
  void aServiceGivesItsHostPortAndDockerLinkVariables() {
    // Upstream's own example: the Service "redis-master" on 6379 with cluster IP 10.0.0.11.
    Map<String, String> env = ServiceEnvironment.of(Services.cluster(REDIS_MASTER), "shop", true);

    assertThat(env)
        .containsExactly(
            Map.entry("REDIS_MASTER_SERVICE_HOST", "127.64.0.11"),
            Map.entry("REDIS_MASTER_SERVICE_PORT", "6379"),
            Map.entry("REDIS_MASTER_PORT", "tcp://127.64.0.11:6379"),
            Map.entry("REDIS_MASTER_PORT_6379_TCP", "tcp://127.64.0.11:6379"),
            Map.entry("REDIS_MASTER_PORT_6379_TCP_PROTO", "tcp"),
            Map.entry("REDIS_MASTER_PORT_6379_TCP_PORT", "6379"),
            Map.entry("REDIS_MASTER_PORT_6379_TCP_ADDR", "127.64.0.11"));
  }

  @Test
  void namedPortsHaveTheirOwnVariableAndEveryPortItsLinks() {
    Map<String, String> env = ServiceEnvironment.of(Services.cluster(WEB), "shop", true);

    assertThat(env)
        .containsEntry("WEB_SERVICE_PORT", "80")
        .containsEntry("WEB_SERVICE_PORT_HTTP", "80")
        .containsEntry("WEB_SERVICE_PORT_DNS_UDP", "53")
        .containsEntry("WEB_PORT", "tcp://127.64.0.12:80")
        .containsEntry("WEB_PORT_53_UDP", "udp://127.64.0.12:53")
        .containsEntry("WEB_PORT_53_UDP_PROTO", "udp")
        .containsEntry("WEB_PORT_53_UDP_PORT", "53")
        .containsEntry("WEB_PORT_53_UDP_ADDR", "127.64.0.12")
        .hasSize(3 + 1 + 2 * 4 + 1);
  }

  @Test
  void onlyServicesOfThePodsNamespaceWithAClusterIpCount() {
    String headless =
        """
        metadata: {name: headless, namespace: shop}
        spec: {clusterIP: None, ports: [{port: 80}]}
        """;
    String unallocated =
        """
        metadata: {name: pending, namespace: shop}
        spec: {ports: [{port: 80}]}
        """;
    String elsewhere =
        """
        metadata: {name: other, namespace: billing}
        spec: {clusterIP: 127.64.0.9, ports: [{port: 80}]}
        """;

    Map<String, String> env =
        ServiceEnvironment.of(
            Services.cluster(REDIS_MASTER, headless, unallocated, elsewhere), "shop", true);

    assertThat(env.keySet()).allMatch(name -> name.startsWith("REDIS_MASTER_"));
  }

  @Test
  void defaultKubernetesIsToldToEveryPodEvenWithoutServiceLinks() {
    List<ClusterService> services = Services.cluster(REDIS_MASTER, KUBERNETES);

    assertThat(ServiceEnvironment.of(services, "shop", false))
        .containsEntry("KUBERNETES_SERVICE_HOST", "127.64.0.1")
        .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443")
        .containsEntry("KUBERNETES_PORT", "tcp://127.64.0.1:443")
        .doesNotContainKey("REDIS_MASTER_SERVICE_HOST");
    assertThat(ServiceEnvironment.of(services, "shop", true))
        .containsKeys("KUBERNETES_SERVICE_HOST", "REDIS_MASTER_SERVICE_HOST");
  }

  @Test
  void aServiceOfThePodsNamespaceHidesDefaultKubernetesOfTheSameName() {
    String own =
        """
        metadata: {name: kubernetes, namespace: shop}
        spec: {clusterIP: 127.64.0.77, ports: [{port: 8443}]}
        """;

    Map<String, String> env =
        ServiceEnvironment.of(Services.cluster(KUBERNETES, own), "shop", true);

    assertThat(env)
        .containsEntry("KUBERNETES_SERVICE_HOST", "127.64.0.77")
        .containsEntry("KUBERNETES_SERVICE_PORT", "8443")
        .doesNotContainKey("KUBERNETES_SERVICE_PORT_HTTPS");
  }
}
