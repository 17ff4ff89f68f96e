package dev.keelson.apiserver.admission;

import static dev.keelson.apiserver.admission.Manifests.SERVICE;
import static dev.keelson.apiserver.admission.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.ProxyPorts;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.Claims;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Allocation as admission does it: against the claims held, with upstream's errors. */
class ServiceAllocatorTest {

  private static final String THREE_PORTS =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: default}
      spec:
        type: %s
        selector: {app: web}
        ports:
        - {name: http, port: 80}
        - {name: dns, port: 53, protocol: UDP}
        - {name: dns-tcp, port: 53}
      """;

  private static final ResourceKey OTHER = ResourceKey.of("", "Service", "default", "other");
  private static final ResourceKey WEB = ResourceKey.of("", "Service", "default", "web");

  private final Map<String, ResourceKey> held = new HashMap<>();
  private ServiceRanges ranges = ServiceRanges.DEFAULTS;

  private ServiceAllocator allocator() {
    return new ServiceAllocator(
        ranges, claim -> Optional.ofNullable(held.get(claim)), new Random(42));
  }

  /** Admission of a create, as Admitting runs it: defaults, validation, allocation. */
  private List<FieldCause> create(ObjectNode service) {
    Defaulting.apply(SERVICE, service);
    List<FieldCause> causes = new ArrayList<>(Validation.validateCreate(SERVICE, service));
    assertThat(causes).as("valid before allocation").isEmpty();
    return allocator().allocate(SERVICE, service, null);
  }

  private List<FieldCause> update(ObjectNode service, ObjectNode stored) {
    Defaulting.applyUpdate(SERVICE, service, stored);
    assertThat(Validation.validateUpdate(SERVICE, service, stored)).isEmpty();
    return allocator().allocate(SERVICE, service, stored);
  }

  /** What the fold would record: the stored Service's claims, held by it. */
  private void store(ObjectNode service, ResourceKey key) {
    Claims.of(service).forEach(claim -> held.put(claim, key));
  }

  private static ObjectNode service(String type) {
    return yaml(THREE_PORTS.formatted(type));
  }

  private static List<String> messages(List<FieldCause> causes) {
    return causes.stream().map(FieldCause::toString).toList();
  }

  @Test
  void aClusterIpServiceGetsAnIpOfTheRangeAndAProxyPortForEachTcpPort() {
    ObjectNode service = service("ClusterIP");
    assertThat(create(service)).isEmpty();
    JsonNode spec = service.path("spec");
    String ip = spec.path("clusterIP").asText();
    assertThat(IpRange.DEFAULT.indexOf(ip)).isNotNegative();
    assertThat(spec.path("clusterIPs")).isEqualTo(yaml("['" + ip + "']"));
    for (JsonNode port : spec.path("ports")) {
      assertThat(port.has("nodePort")).isFalse();
    }
    List<ProxyPorts.Entry> proxyPorts = ProxyPorts.of(service);
    assertThat(proxyPorts).extracting(ProxyPorts.Entry::port).containsExactly(53, 80);
    assertThat(proxyPorts).extracting(ProxyPorts.Entry::protocol).containsOnly("TCP");
    assertThat(proxyPorts)
        .extracting(ProxyPorts.Entry::proxyPort)
        .allMatch(PortRange.PROXY_PORTS::contains)
        .doesNotHaveDuplicates();
    assertThat(service.path("metadata").path("annotations").path(ProxyPorts.ANNOTATION).asText())
        .isEqualTo(ProxyPorts.format(proxyPorts));
  }

  @Test
  void aNodePortServiceGetsANodePortForEachPortNumber() {
    ObjectNode service = service("NodePort");
    assertThat(create(service)).isEmpty();
    JsonNode ports = service.path("spec").path("ports");
    long http = ports.get(0).path("nodePort").asLong();
    long dns = ports.get(1).path("nodePort").asLong();
    assertThat(PortRange.NODE_PORTS.contains(http)).isTrue();
    assertThat(PortRange.NODE_PORTS.contains(dns)).isTrue();
    assertThat(http).isNotEqualTo(dns);
    assertThat(ports.get(2).path("nodePort").asLong()).as("TCP and UDP 53 share").isEqualTo(dns);
    assertThat(Validation.validateCreate(SERVICE, service)).isEmpty();
  }

  @Test
  void valuesAskedForAreKeptWhenInRangeAndFree() {
    ObjectNode service = service("NodePort");
    ObjectNode spec = (ObjectNode) service.get("spec");
    spec.put("clusterIP", "127.64.0.10");
    ((ObjectNode) spec.path("ports").get(0)).put("nodePort", 30080);
    assertThat(create(service)).isEmpty();
    assertThat(spec.path("clusterIPs")).isEqualTo(yaml("['127.64.0.10']"));
    assertThat(spec.path("ports").get(0).path("nodePort").asLong()).isEqualTo(30080);
    assertThat(spec.path("ports").get(1).path("nodePort").asLong()).isNotEqualTo(30080);
  }

  @Test
  void valuesAskedForThatAreTakenOrOutOfRangeAreRefusedAsUpstreamRefusesThem() {
    held.put(Claims.clusterIp("127.64.0.10"), OTHER);
    held.put(Claims.nodePort(30080), OTHER);
    // Both taken: as upstream, the cluster IP answers first.
    List<FieldCause> causes = create(nodePortService("127.64.0.10", 30080));
    assertThat(messages(causes))
        .containsExactly(
            "spec.clusterIPs: Invalid value: []string{\"127.64.0.10\"}: failed to allocate IP"
                + " 127.64.0.10: provided IP is already allocated");
    assertThat(FieldCause.invalidMessage(SERVICE, "web", causes))
        .isEqualTo("Service \"web\" is invalid: " + messages(causes).get(0));
    assertThat(messages(create(nodePortService("127.64.0.11", 30080))))
        .containsExactly(
            "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");

    assertThat(messages(create(nodePortService("1.2.3.4", 30081))))
        .containsExactly(
            "spec.clusterIPs: Invalid value: []string{\"1.2.3.4\"}: failed to allocate IP 1.2.3.4:"
                + " the provided IP (1.2.3.4) is not in the valid range. The range of valid IPs is"
                + " 127.64.0.0/16");
    assertThat(messages(create(nodePortService("127.64.0.255", 80))))
        .containsExactly(
            "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range."
                + " The range of valid ports is 30000-32767");
    assertThat(messages(create(nodePortService("127.64.255.255", 30081))))
        .as("the broadcast address is not handed out")
        .hasSize(1)
        .allMatch(m -> m.contains("is not in the valid range"));
  }

  private static ObjectNode nodePortService(String clusterIp, int nodePort) {
    ObjectNode service = yaml(Manifests.SERVICE_YAML);
    ((ObjectNode) service.get("spec")).put("type", "NodePort").put("clusterIP", clusterIp);
    ((ObjectNode) service.path("spec").path("ports").get(0)).put("nodePort", nodePort);
    return service;
  }

  @Test
  void allocationTakesOnlyFreeValuesAndAFullRangeSaysSo() {
    ranges =
        new ServiceRanges(
            IpRange.parse("127.64.0.0/30"),
            PortRange.parse("30000-30001"),
            PortRange.parse("20000-20001"));
    held.put(Claims.clusterIp("127.64.0.1"), OTHER);
    held.put(Claims.nodePort(30000), OTHER);
    held.put(Claims.proxyPort(20001), OTHER);
    ObjectNode service = yaml(Manifests.SERVICE_YAML);
    ((ObjectNode) service.get("spec")).put("type", "NodePort");
    assertThat(create(service)).isEmpty();
    assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo("127.64.0.2");
    assertThat(service.path("spec").path("ports").get(0).path("nodePort").asLong())
        .isEqualTo(30001);
    assertThat(ProxyPorts.of(service)).containsExactly(new ProxyPorts.Entry(80, "TCP", 20000));
    store(service, WEB);

    ObjectNode noIp = yaml(Manifests.SERVICE_YAML.replace("name: web", "name: more"));
    assertThat(messages(create(noIp)))
        .containsExactly(
            "spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full");
    held.remove(Claims.clusterIp("127.64.0.1"));
    ObjectNode noPort = yaml(Manifests.SERVICE_YAML.replace("name: web", "name: more"));
    ((ObjectNode) noPort.get("spec")).put("type", "NodePort");
    assertThat(messages(create(noPort)))
        .containsExactly(
            "spec.ports[0].nodePort: Internal error: failed to allocate a nodePort: range is full");
    ObjectNode noProxyPort = yaml(Manifests.SERVICE_YAML.replace("name: web", "name: more"));
    assertThat(messages(create(noProxyPort)))
        .containsExactly(
            "metadata.annotations[keelson.dev/proxy-ports]: Internal error: failed to allocate a"
                + " proxy port: range is full");
  }

  @Test
  void headlessAndExternalNameServicesGetNoIpAndNoProxyPorts() {
    ObjectNode headless = yaml(Manifests.SERVICE_YAML);
    ((ObjectNode) headless.get("spec")).put("clusterIP", "None");
    headless
        .putObject("metadata")
        .put("name", "web")
        .put("namespace", "default")
        .putObject("annotations")
        .put(ProxyPorts.ANNOTATION, "[{\"port\":80,\"protocol\":\"TCP\",\"proxyPort\":20001}]");
    assertThat(create(headless)).isEmpty();
    assertThat(headless.path("spec").path("clusterIPs")).isEqualTo(yaml("[None]"));
    assertThat(ProxyPorts.of(headless)).as("admission owns the annotation").isEmpty();

    ObjectNode external =
        yaml(
            "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: default}\n"
                + "spec: {type: ExternalName, externalName: db.example.com}\n");
    assertThat(create(external)).isEmpty();
    assertThat(external.path("spec").has("clusterIP")).isFalse();
    assertThat(Claims.of(external)).isEmpty();
  }

  @Test
  void aUserSuppliedProxyPortIsReplacedOnCreate() {
    ObjectNode service = yaml(Manifests.SERVICE_YAML);
    ((ObjectNode) service.get("metadata"))
        .putObject("annotations")
        .put(ProxyPorts.ANNOTATION, "[{\"port\":80,\"protocol\":\"TCP\",\"proxyPort\":1}]")
        .put("team", "a");
    assertThat(create(service)).isEmpty();
    assertThat(ProxyPorts.of(service).get(0).proxyPort()).isBetween(20000, 29999);
    assertThat(service.path("metadata").path("annotations").path("team").asText()).isEqualTo("a");
  }

  @Test
  void anUpdateKeepsWhatTheServiceHeldAndAllocatesOnlyForNewPorts() {
    ObjectNode stored = service("NodePort");
    assertThat(create(stored)).isEmpty();
    store(stored, WEB);
    Map<Integer, Integer> before = new HashMap<>();
    ProxyPorts.of(stored).forEach(e -> before.put(e.port(), e.proxyPort()));

    // kubectl replace of an edited copy: a port added, one removed, the annotation tampered with.
    ObjectNode updated =
        yaml(
            """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: default
              annotations: {keelson.dev/proxy-ports: '[{"port":80,"protocol":"TCP","proxyPort":1}]'}
            spec:
              type: NodePort
              selector: {app: web}
              ports:
              - {name: http, port: 80}
              - {name: admin, port: 8080}
            """);
    assertThat(update(updated, stored)).isEmpty();
    JsonNode spec = updated.path("spec");
    assertThat(spec.path("clusterIP")).isEqualTo(stored.path("spec").path("clusterIP"));
    assertThat(spec.path("ports").get(0).path("nodePort"))
        .isEqualTo(stored.path("spec").path("ports").get(0).path("nodePort"));
    long adminNodePort = spec.path("ports").get(1).path("nodePort").asLong();
    assertThat(PortRange.NODE_PORTS.contains(adminNodePort)).isTrue();
    List<ProxyPorts.Entry> after = ProxyPorts.of(updated);
    assertThat(after).extracting(ProxyPorts.Entry::port).containsExactly(80, 8080);
    assertThat(after.get(0).proxyPort()).isEqualTo(before.get(80));
    assertThat(after.get(1).proxyPort()).isNotIn(before.values());
    assertThat(Claims.of(updated)).doesNotContain(Claims.proxyPort(before.get(53)));
  }

  @Test
  void changingTheTypeToClusterIpDropsTheNodePorts() {
    ObjectNode stored = service("NodePort");
    assertThat(create(stored)).isEmpty();
    store(stored, WEB);
    ObjectNode updated = stored.deepCopy();
    ((ObjectNode) updated.get("spec")).put("type", "ClusterIP");
    assertThat(update(updated, stored)).isEmpty();
    for (JsonNode port : updated.path("spec").path("ports")) {
      assertThat(port.has("nodePort")).isFalse();
    }
    assertThat(updated.path("spec").has("externalTrafficPolicy")).isFalse();
    assertThat(updated.path("spec").path("clusterIP"))
        .isEqualTo(stored.path("spec").path("clusterIP"));
    assertThat(Claims.of(updated)).noneMatch(c -> c.startsWith(Claims.NODE_PORT));
    assertThat(ProxyPorts.of(updated)).isEqualTo(ProxyPorts.of(stored));
  }

  @Test
  void onlyIpv4SingleStackServicesAreServed() {
    ObjectNode service = yaml(Manifests.SERVICE_YAML);
    ((ObjectNode) service.get("spec"))
        .put("ipFamilyPolicy", "RequireDualStack")
        .putArray("ipFamilies")
        .add("IPv4")
        .add("IPv6");
    assertThat(messages(create(service)))
        .containsExactly(
            "spec.ipFamilies[1]: Invalid value: \"IPv6\": not configured on this cluster",
            "spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not"
                + " configured for dual-stack services");
  }
}
