package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.ResourceKey;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node Leases live in the heartbeats topic, not the change log, and read like any object. */
class NodeLeasesIT {

  private static final String NODE_LEASES =
      "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";

  @TempDir static Path dir;
  private static ApiFixture api;

  @BeforeAll
  static void start() throws Exception {
    api = ApiFixture.replicas(dir, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  private static String lease(String name, String namespace, String renewTime) {
    return "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\""
        + namespace
        + "\"},\"spec\":{\"holderIdentity\":\""
        + name
        + "\",\"leaseDurationSeconds\":40,\"renewTime\":\""
        + renewTime
        + "\"}}";
  }

  @Test
  void nodeLeasesAreHeartbeatsAndOtherLeasesAreChanges() throws Exception {
    HttpResponse<String> created =
        api.send(
            "POST", NODE_LEASES, lease("node-1", "kube-node-lease", "2026-01-01T00:00:00.000000Z"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    ResourceKey key = ResourceKey.of("coordination.k8s.io", "Lease", "kube-node-lease", "node-1");
    ApiFixture.Replica first = api.replicas.get(0);
    assertThat(first.leases().get(key)).isPresent();
    assertThat(first.projection().get(key)).as("not in the change log").isEmpty();

    String renewed = lease("node-1", "kube-node-lease", "2026-01-01T00:00:10.000000Z");
    HttpResponse<String> renewal = api.send("PUT", NODE_LEASES + "/node-1", renewed);
    assertThat(renewal.statusCode()).as(renewal.body()).isEqualTo(200);
    HttpResponse<String> throughOther =
        api.send(1, "GET", NODE_LEASES + "/node-1", null, null, api.token);
    assertThat(ApiFixture.json(throughOther).path("spec").path("renewTime").asText())
        .isEqualTo("2026-01-01T00:00:10.000000Z");
    JsonNode list = ApiFixture.json(api.send("GET", NODE_LEASES, null));
    assertThat(list.path("items")).hasSize(1);
    assertThat(api.send("POST", NODE_LEASES, lease("node-1", "kube-node-lease", "x")).statusCode())
        .isEqualTo(409);
    String stale =
        renewed.replace(
            "\"metadata\":{",
            "\"metadata\":{\"resourceVersion\":\""
                + ApiFixture.json(created).path("metadata").path("resourceVersion").asText()
                + "\",");
    assertThat(api.send("PUT", NODE_LEASES + "/node-1", stale).statusCode()).isEqualTo(409);

    HttpResponse<String> election =
        api.send(
            "POST",
            "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases",
            lease("scheduler", "kube-system", "2026-01-01T00:00:00.000000Z"));
    assertThat(election.statusCode()).as(election.body()).isEqualTo(201);
    assertThat(
            first
                .projection()
                .get(ResourceKey.of("coordination.k8s.io", "Lease", "kube-system", "scheduler")))
        .as("a leader-election lease needs compare-and-set: it is a change")
        .isPresent();
    assertThat(api.send("DELETE", NODE_LEASES + "/node-1", null).statusCode()).isEqualTo(200);
    assertThat(api.send("GET", NODE_LEASES + "/node-1", null).statusCode()).isEqualTo(404);
  }
}
