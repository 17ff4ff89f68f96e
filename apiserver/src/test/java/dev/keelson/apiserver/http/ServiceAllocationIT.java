package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.api.ProxyPorts;
import dev.keelson.api.ResourceKey;
import dev.keelson.apiserver.admission.IpRange;
import dev.keelson.apiserver.admission.PortRange;
import dev.keelson.apiserver.admission.ServiceRanges;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.projection.Claims;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.Verdict;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two API servers on one log allocate Services' cluster IPs, node ports and proxy ports: never the
 * same value twice, a value asked for that is taken answered as upstream does, values freed by a
 * delete, and the same allocations for a projection that reads the log afresh.
 */
class ServiceAllocationIT {

  private static final String SERVICES = "/api/v1/namespaces/default/services";

  /** Small ranges, so that the two replicas' random picks collide now and then. */
  private static final ServiceRanges RANGES =
      new ServiceRanges(
          IpRange.parse("127.64.0.0/24"),
          PortRange.parse("30000-30199"),
          PortRange.parse("20000-20199"));

  @TempDir static Path dir;
  private static ApiFixture api;

  @BeforeAll
  static void start() throws Exception {
    api = ApiFixture.replicas(dir, 2, RANGES);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  private static String nodePortService(String name, String clusterIp, int nodePort) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":{\"type\":\"NodePort\","
        + (clusterIp == null ? "" : "\"clusterIP\":\"" + clusterIp + "\",")
        + "\"selector\":{\"app\":\""
        + name
        + "\"},\"ports\":[{\"port\":80"
        + (nodePort == 0 ? "" : ",\"nodePort\":" + nodePort)
        + "}]}}";
  }

  private static HttpResponse<String> post(int replica, String service) throws Exception {
    return api.send(replica, "POST", SERVICES, service, "application/json", api.token);
  }

  private static JsonNode created(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return ApiFixture.json(response);
  }

  /** The values a Service was given: cluster IP, node port, proxy port. */
  private record Values(String clusterIp, long nodePort, int proxyPort) {
    static Values of(JsonNode service) {
      JsonNode spec = service.path("spec");
      List<ProxyPorts.Entry> proxyPorts = ProxyPorts.of(service);
      assertThat(proxyPorts).hasSize(1);
      return new Values(
          spec.path("clusterIP").asText(),
          spec.path("ports").get(0).path("nodePort").asLong(),
          proxyPorts.get(0).proxyPort());
    }

    List<String> claims() {
      return List.of(
          Claims.clusterIp(clusterIp), Claims.nodePort(nodePort), Claims.proxyPort(proxyPort));
    }
  }

  @Test
  void fiftyServicesCreatedAtOnceThroughTwoReplicasGetDistinctValuesThatSurviveARestart()
      throws Exception {
    int count = 50;
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        int replica = i % 2;
        String body = nodePortService("race-" + i, null, 0);
        creates.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return post(replica, body);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                clients));
      }
      List<Values> all = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> create : creates) {
        all.add(Values.of(created(create.get(2, TimeUnit.MINUTES))));
      }
      assertThat(all).extracting(Values::clusterIp).doesNotHaveDuplicates();
      assertThat(all).extracting(Values::nodePort).doesNotHaveDuplicates();
      assertThat(all).extracting(Values::proxyPort).doesNotHaveDuplicates();
      assertThat(all)
          .allSatisfy(v -> assertThat(RANGES.clusterIps().indexOf(v.clusterIp())).isNotNegative());
      assertThat(all)
          .allSatisfy(v -> assertThat(RANGES.nodePorts().contains(v.nodePort())).isTrue());
      assertThat(all)
          .allSatisfy(v -> assertThat(RANGES.proxyPorts().contains(v.proxyPort())).isTrue());

      ApiFixture.Replica first = api.replicas.get(0);
      long end = first.log().endOffset().get(30, TimeUnit.SECONDS);
      int lost = 0;
      for (ApiFixture.Replica replica : api.replicas) {
        replica.projection().awaitRevision(end).get(30, TimeUnit.SECONDS);
      }
      for (long offset = 0; offset < end; offset++) {
        if (first.projection().verdict(offset).get() instanceof Verdict.Rejected r
            && r.reason() == Rejection.ALLOCATED) {
          lost++;
        }
      }
      System.out.printf(
          "%d services, %d records refused for a value taken meanwhile%n", count, lost);

      // A projection that reads the log afresh, as a restarted replica does, holds the same.
      try (KafkaChangeLog log = KafkaChangeLog.open(api.settings, "restarted");
          LogProjection fresh = LogProjection.start(log, ProjectionOptions.defaults())) {
        fresh.awaitRevision(end).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < count; i++) {
          ResourceKey key = ResourceKey.of("", "Service", "default", "race-" + i);
          assertThat(fresh.get(key)).isEqualTo(first.projection().get(key)).isPresent();
          assertThat(Values.of(fresh.get(key).orElseThrow().object())).isEqualTo(all.get(i));
          for (String claim : all.get(i).claims()) {
            assertThat(fresh.claimant(claim)).contains(key);
            assertThat(api.replicas.get(1).projection().claimant(claim)).contains(key);
          }
        }
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void valuesAskedForThatAreTakenAre422UntilTheirHolderIsDeleted() throws Exception {
    Values held = Values.of(created(post(0, nodePortService("holder", null, 0))));

    HttpResponse<String> ipTaken = post(1, nodePortService("taker", held.clusterIp(), 0));
    assertThat(ipTaken.statusCode()).isEqualTo(422);
    JsonNode status = ApiFixture.json(ipTaken);
    String ipCause =
        "spec.clusterIPs: Invalid value: []string{\""
            + held.clusterIp()
            + "\"}: failed to allocate IP "
            + held.clusterIp()
            + ": provided IP is already allocated";
    assertThat(status.path("reason").asText()).isEqualTo("Invalid");
    assertThat(status.path("message").asText())
        .isEqualTo("Service \"taker\" is invalid: " + ipCause);
    JsonNode cause = status.path("details").path("causes").get(0);
    assertThat(cause.path("field").asText()).isEqualTo("spec.clusterIPs");
    assertThat(cause.path("reason").asText()).isEqualTo("FieldValueInvalid");

    HttpResponse<String> portTaken = post(1, nodePortService("taker", null, (int) held.nodePort()));
    assertThat(portTaken.statusCode()).isEqualTo(422);
    assertThat(ApiFixture.json(portTaken).path("message").asText())
        .isEqualTo(
            "Service \"taker\" is invalid: spec.ports[0].nodePort: Invalid value: "
                + held.nodePort()
                + ": provided port is already allocated");

    HttpResponse<String> outside = post(0, nodePortService("taker", "1.2.3.4", 0));
    assertThat(ApiFixture.json(outside).path("message").asText())
        .isEqualTo(
            "Service \"taker\" is invalid: spec.clusterIPs: Invalid value: []string{\"1.2.3.4\"}:"
                + " failed to allocate IP 1.2.3.4: the provided IP (1.2.3.4) is not in the valid"
                + " range. The range of valid IPs is 127.64.0.0/24");

    HttpResponse<String> deleted =
        api.send(0, "DELETE", SERVICES + "/holder", null, null, api.token);
    assertThat(deleted.statusCode()).isEqualTo(200);
    // The other replica admits against its own projection: it must have applied the delete.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                api.replicas
                        .get(1)
                        .projection()
                        .claimant(Claims.clusterIp(held.clusterIp()))
                        .isEmpty()
                    && api.replicas
                        .get(1)
                        .projection()
                        .claimant(Claims.nodePort(held.nodePort()))
                        .isEmpty());
    JsonNode taker =
        created(post(1, nodePortService("taker", held.clusterIp(), (int) held.nodePort())));
    assertThat(taker.path("spec").path("clusterIP").asText()).isEqualTo(held.clusterIp());
    assertThat(taker.path("spec").path("ports").get(0).path("nodePort").asLong())
        .isEqualTo(held.nodePort());
  }

  @Test
  void aPatchThatAddsAPortKeepsWhatTheServiceHeld() throws Exception {
    Values before = Values.of(created(post(0, nodePortService("patched", null, 0))));
    HttpResponse<String> patched =
        api.send(
            1,
            "PATCH",
            SERVICES + "/patched",
            "{\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":80},"
                + "{\"name\":\"admin\",\"port\":8080}]}}",
            "application/merge-patch+json",
            api.token);
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    JsonNode service = ApiFixture.json(patched);
    JsonNode ports = service.path("spec").path("ports");
    assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo(before.clusterIp());
    assertThat(ports.get(0).path("nodePort").asLong()).isEqualTo(before.nodePort());
    assertThat(ports.get(1).path("nodePort").asLong()).isNotEqualTo(before.nodePort()).isPositive();
    List<ProxyPorts.Entry> proxyPorts = ProxyPorts.of(service);
    assertThat(proxyPorts).extracting(ProxyPorts.Entry::port).containsExactly(80, 8080);
    assertThat(proxyPorts.get(0).proxyPort()).isEqualTo(before.proxyPort());
    Set<Integer> distinct = new HashSet<>();
    proxyPorts.forEach(e -> distinct.add(e.proxyPort()));
    assertThat(distinct).hasSize(2);

    // Back to ClusterIP: the node ports go, and are free again.
    HttpResponse<String> clusterIp =
        api.send(
            0,
            "PATCH",
            SERVICES + "/patched",
            "{\"spec\":{\"type\":\"ClusterIP\"}}",
            "application/merge-patch+json",
            api.token);
    assertThat(clusterIp.statusCode()).as(clusterIp.body()).isEqualTo(200);
    JsonNode after = ApiFixture.json(clusterIp);
    assertThat(after.path("spec").path("ports").get(0).has("nodePort")).isFalse();
    assertThat(api.replicas.get(0).projection().claimant(Claims.nodePort(before.nodePort())))
        .isEmpty();
    assertThat(Json.text(after.path("metadata").path("annotations")))
        .contains(ProxyPorts.ANNOTATION);
  }
}
