package dev.keelson.proxy;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.Arrays;
import java.util.List;

/** Services and Endpoints as the API serves them, for the proxy's tests. */
final class Fixtures {

  private Fixtures() {}

  static Service service(String name, String clusterIp, int port, Integer nodePort) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withCreationTimestamp("2026-12-07T10:00:00Z")
        .endMetadata()
        .withNewSpec()
        .withType(nodePort == null ? "ClusterIP" : "NodePort")
        .withClusterIP(clusterIp)
        .withClusterIPs(clusterIp)
        .withSessionAffinity("None")
        .withPorts(
            new ServicePortBuilder()
                .withProtocol("TCP")
                .withPort(port)
                .withNodePort(nodePort)
                .build())
        .endSpec()
        .build();
  }

  /** Ready addresses at {@code port}, then not-ready ones after a null. */
  static Endpoints endpoints(String name, int port, String... ips) {
    List<String> all = Arrays.asList(ips);
    int split = all.indexOf(null);
    List<String> ready = split < 0 ? all : all.subList(0, split);
    List<String> notReady = split < 0 ? List.of() : all.subList(split + 1, all.size());
    return new EndpointsBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withSubsets(
            new EndpointSubsetBuilder()
                .withAddresses(
                    ready.stream()
                        .map(ip -> new EndpointAddressBuilder().withIp(ip).build())
                        .toList())
                .withNotReadyAddresses(
                    notReady.stream()
                        .map(ip -> new EndpointAddressBuilder().withIp(ip).build())
                        .toList())
                .withPorts(new EndpointPortBuilder().withPort(port).withProtocol("TCP").build())
                .build())
        .build();
  }
}
