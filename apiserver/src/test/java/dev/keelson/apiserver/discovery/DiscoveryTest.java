package dev.keelson.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryTest {

  private final Discovery discovery = new Discovery(ResourceRegistry.builtIn());

  @Test
  void theCoreGroupListsItsResourcesWithShortNamesAndSubresources() {
    APIResourceList core = discovery.resources("", "v1").orElseThrow();
    assertThat(core.getGroupVersion()).isEqualTo("v1");
    APIResource pods = find(core, "pods");
    assertThat(pods.getKind()).isEqualTo("Pod");
    assertThat(pods.getNamespaced()).isTrue();
    assertThat(pods.getShortNames()).containsExactly("po");
    assertThat(pods.getCategories()).containsExactly("all");
    assertThat(pods.getVerbs())
        .contains(
            "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");
    assertThat(find(core, "pods/status").getVerbs()).containsExactly("get", "patch", "update");
    assertThat(find(core, "pods/binding").getVerbs()).containsExactly("create");
    assertThat(find(core, "pods/log").getVerbs()).containsExactly("get");
    assertThat(find(core, "namespaces").getNamespaced()).isFalse();
    assertThat(core.getResources())
        .extracting(APIResource::getName)
        .contains(
            "namespaces",
            "pods",
            "nodes",
            "services",
            "endpoints",
            "configmaps",
            "secrets",
            "serviceaccounts",
            "events");
  }

  @Test
  void namedGroupsAndTheirVersions() {
    assertThat(discovery.groups().getGroups())
        .extracting(g -> g.getName() + "=" + g.getPreferredVersion().getGroupVersion())
        .containsExactly(
            "apps=apps/v1",
            "batch=batch/v1",
            "autoscaling=autoscaling/v2",
            "coordination.k8s.io=coordination.k8s.io/v1",
            "metrics.k8s.io=metrics.k8s.io/v1beta1",
            "authentication.k8s.io=authentication.k8s.io/v1");
    APIResource scale = find(discovery.resources("apps", "v1").orElseThrow(), "deployments/scale");
    assertThat(scale.getGroup()).isEqualTo("autoscaling");
    assertThat(scale.getKind()).isEqualTo("Scale");
    assertThat(discovery.resources("apps", "v1beta1")).isEmpty();
    assertThat(discovery.resources("", "v2")).isEmpty();
  }

  @Test
  void containerMetricsAreServedAsMetricsServerServesThem() {
    APIResourceList metrics = discovery.resources("metrics.k8s.io", "v1beta1").orElseThrow();
    assertThat(metrics.getGroupVersion()).isEqualTo("metrics.k8s.io/v1beta1");
    APIResource pods = find(metrics, "pods");
    assertThat(pods.getKind()).isEqualTo("PodMetrics");
    assertThat(pods.getNamespaced()).isTrue();
    assertThat(pods.getVerbs()).contains("get", "list", "watch", "create", "update", "patch");
    APIResource nodes = find(metrics, "nodes");
    assertThat(nodes.getKind()).isEqualTo("NodeMetrics");
    assertThat(nodes.getNamespaced()).isFalse();
    assertThat(metrics.getResources()).hasSize(2);
  }

  @Test
  void tokenReviewsCanOnlyBeCreated() {
    APIResource reviews =
        find(discovery.resources("authentication.k8s.io", "v1").orElseThrow(), "tokenreviews");
    assertThat(reviews.getKind()).isEqualTo("TokenReview");
    assertThat(reviews.getNamespaced()).isFalse();
    assertThat(reviews.getVerbs()).containsExactly("create");
  }

  @Test
  void theJsonHasUpstreamsShape() {
    JsonNode list = Json.mapper().valueToTree(discovery.resources("apps", "v1").orElseThrow());
    assertThat(list.path("kind").asText()).isEqualTo("APIResourceList");
    assertThat(list.path("apiVersion").asText()).isEqualTo("v1");
    JsonNode deployments = list.path("resources").get(0);
    assertThat(deployments.path("name").asText()).isEqualTo("deployments");
    assertThat(deployments.path("singularName").asText()).isEqualTo("deployment");
    assertThat(deployments.path("shortNames").get(0).asText()).isEqualTo("deploy");
    JsonNode groups = Json.mapper().valueToTree(discovery.groups());
    assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
    JsonNode versions = Json.mapper().valueToTree(discovery.coreVersions("127.0.0.1:6443"));
    assertThat(versions.path("versions").get(0).asText()).isEqualTo("v1");
  }

  private static APIResource find(APIResourceList list, String name) {
    List<APIResource> matches =
        list.getResources().stream().filter(r -> r.getName().equals(name)).toList();
    assertThat(matches).as(name).hasSize(1);
    return matches.get(0);
  }
}
