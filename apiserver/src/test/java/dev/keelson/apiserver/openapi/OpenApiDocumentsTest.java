package dev.keelson.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.apiserver.discovery.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OpenApiDocumentsTest {

  private static final ResourceRegistry REGISTRY = ResourceRegistry.builtIn();
  private static final OpenApiDocuments DOCS = OpenApiDocuments.build(REGISTRY);

  /** The kinds the documents describe: not yet the create-only reviews (no list to describe). */
  private static List<ResourceType> described() {
    return REGISTRY.all().stream().filter(t -> ResourceRegistry.verbs(t).contains("list")).toList();
  }

  @Test
  void everyServedKindHasADefinitionWithItsGroupVersionKind() {
    JsonNode definitions = DOCS.v2().path("definitions");
    for (ResourceType type : described()) {
      String name =
          (type.group().isEmpty()
                  ? "io.k8s.api.core"
                  : "io.k8s.api." + type.group().split("\\.")[0])
              + "."
              + type.version()
              + "."
              + type.kind();
      JsonNode gvks = definitions.path(name).path("x-kubernetes-group-version-kind");
      assertThat(gvks.isArray()).as(name).isTrue();
      assertThat(gvks.get(0).path("kind").asText()).isEqualTo(type.kind());
      assertThat(gvks.get(0).path("group").asText()).isEqualTo(type.group());
      assertThat(gvks.get(0).path("version").asText()).isEqualTo(type.version());
      assertThat(definitions.path(name + "List").path("x-kubernetes-group-version-kind").isArray())
          .as(name + "List")
          .isTrue();
    }
  }

  @Test
  void typesAreNamedAndShapedAsUpstream() {
    JsonNode definitions = DOCS.v2().path("definitions");
    JsonNode pod = definitions.path("io.k8s.api.core.v1.Pod").path("properties");
    assertThat(pod.path("metadata").path("$ref").asText())
        .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assertThat(pod.path("spec").path("$ref").asText())
        .isEqualTo("#/definitions/io.k8s.api.core.v1.PodSpec");
    assertThat(
            definitions.path("io.k8s.apimachinery.pkg.api.resource.Quantity").path("type").asText())
        .isEqualTo("string");
    assertThat(
            definitions
                .path("io.k8s.apimachinery.pkg.util.intstr.IntOrString")
                .path("format")
                .asText())
        .isEqualTo("int-or-string");
    JsonNode meta =
        definitions.path("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").path("properties");
    assertThat(meta.path("creationTimestamp").path("$ref").asText())
        .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time");
    assertThat(meta.path("labels").path("additionalProperties").path("type").asText())
        .isEqualTo("string");
    JsonNode port = definitions.path("io.k8s.api.core.v1.ContainerPort").path("properties");
    assertThat(port.path("containerPort").path("format").asText()).isEqualTo("int32");
    assertThat(
            definitions
                .path("io.k8s.api.apps.v1.DeploymentSpec")
                .path("properties")
                .path("template")
                .path("$ref")
                .asText())
        .isEqualTo("#/definitions/io.k8s.api.core.v1.PodTemplateSpec");
  }

  @Test
  void podSpecContainersMergeByName() {
    JsonNode containers =
        DOCS.v2()
            .path("definitions")
            .path("io.k8s.api.core.v1.PodSpec")
            .path("properties")
            .path("containers");
    assertThat(containers.path("type").asText()).isEqualTo("array");
    assertThat(containers.path("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
    assertThat(containers.path("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
    assertThat(containers.path("items").path("$ref").asText())
        .isEqualTo("#/definitions/io.k8s.api.core.v1.Container");
  }

  @Test
  void v3RootListsEveryGroupVersionWithItsHash() {
    Set<String> expected =
        described().stream()
            .map(t -> t.group().isEmpty() ? "api/v1" : "apis/" + t.apiVersion())
            .collect(Collectors.toSet());
    JsonNode paths = DOCS.v3Root().path("paths");
    List<String> listed = new ArrayList<>();
    paths.fieldNames().forEachRemaining(listed::add);
    assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
    String url = paths.path("apis/apps/v1").path("serverRelativeURL").asText();
    assertThat(url)
        .isEqualTo("/openapi/v3/apis/apps/v1?hash=" + DOCS.v3Hashes().get("apis/apps/v1"));
    String hash = DOCS.v3Hashes().get("apis/apps/v1");
    OpenApiDocuments.Answer answer =
        DOCS.answer("/openapi/v3/apis/apps/v1", hash, h -> null).orElseThrow();
    assertThat(answer.headers().get("Cache-Control")).contains("immutable");
    assertThat(answer.headers().get("ETag")).isEqualTo("\"" + hash + "\"");
    String etag = answer.headers().get("ETag");
    assertThat(
            DOCS.answer(
                    "/openapi/v3/apis/apps/v1", null, h -> h.equals("If-None-Match") ? etag : null)
                .orElseThrow()
                .status())
        .isEqualTo(304);
    assertThat(DOCS.answer("/openapi/v3/apis/nosuch/v1", null, h -> null)).isEmpty();
  }

  @Test
  void v3DocumentOffersFieldValidationOnWritesAndNamesTheKind() {
    JsonNode apps = DOCS.v3("apis/apps/v1");
    JsonNode collection =
        apps.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments");
    assertThat(paramNames(collection.path("post")))
        .contains("fieldValidation", "dryRun", "fieldManager");
    assertThat(
            collection.path("post").path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("Deployment");
    // kubectl decides on server-side validation from the PATCH operation of the kind.
    JsonNode patch =
        apps.path("paths")
            .path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
            .path("patch");
    assertThat(paramNames(patch)).contains("fieldValidation");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("Deployment");
    JsonNode schemas = apps.path("components").path("schemas");
    assertThat(schemas.has("io.k8s.api.apps.v1.Deployment")).isTrue();
    assertThat(schemas.has("io.k8s.api.core.v1.Container")).isTrue();
    assertThat(schemas.has("io.k8s.api.batch.v1.Job")).isFalse();
    assertThat(
            schemas
                .path("io.k8s.api.apps.v1.Deployment")
                .path("properties")
                .path("spec")
                .path("$ref")
                .asText())
        .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec");
    assertThat(Json.text(apps)).doesNotContain("#/definitions/");
  }

  @Test
  void pathsCoverEveryVerbWithUpstreamOperationIds() {
    JsonNode paths = DOCS.v2().path("paths");
    JsonNode pods = paths.path("/api/v1/namespaces/{namespace}/pods");
    assertThat(pods.path("get").path("operationId").asText()).isEqualTo("listCoreV1NamespacedPod");
    assertThat(pods.path("post").path("operationId").asText())
        .isEqualTo("createCoreV1NamespacedPod");
    assertThat(pods.path("delete").path("operationId").asText())
        .isEqualTo("deleteCoreV1CollectionNamespacedPod");
    JsonNode pod = paths.path("/api/v1/namespaces/{namespace}/pods/{name}");
    assertThat(pod.path("patch").path("x-kubernetes-action").asText()).isEqualTo("patch");
    assertThat(pod.path("delete").path("operationId").asText())
        .isEqualTo("deleteCoreV1NamespacedPod");
    assertThat(paths.path("/api/v1/pods").path("get").path("operationId").asText())
        .isEqualTo("listCoreV1PodForAllNamespaces");
    assertThat(
            paths.path("/api/v1/namespaces/{name}/status").path("put").path("operationId").asText())
        .isEqualTo("replaceCoreV1NamespaceStatus");
    assertThat(
            paths
                .path("/api/v1/watch/namespaces/{namespace}/pods")
                .path("get")
                .path("x-kubernetes-action")
                .asText())
        .isEqualTo("watchlist");
    JsonNode scale = paths.path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
    assertThat(scale.path("patch").path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("Scale");
    assertThat(scale.path("get").path("responses").path("200").path("schema").path("$ref").asText())
        .isEqualTo("#/definitions/io.k8s.api.autoscaling.v1.Scale");
    assertThat(
            paths
                .path("/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}")
                .path("put")
                .path("operationId")
                .asText())
        .isEqualTo("replaceCoordinationV1NamespacedLease");
  }

  @Test
  void protobufFormCarriesDefinitionsAndPatchParameters() {
    byte[] proto = DOCS.v2Protobuf();
    String text = new String(proto, StandardCharsets.ISO_8859_1);
    // Document.definitions (field 9) holds NamedSchema entries named as upstream.
    List<byte[]> definitions = Proto.fields(proto, 9);
    assertThat(definitions).hasSize(1);
    List<String> names =
        Proto.fields(definitions.get(0), 1).stream()
            .map(named -> new String(Proto.fields(named, 1).get(0), StandardCharsets.UTF_8))
            .toList();
    assertThat(names).contains("io.k8s.api.core.v1.Pod", "io.k8s.api.apps.v1.Deployment");
    assertThat(text)
        .contains(
            "x-kubernetes-group-version-kind",
            "fieldValidation",
            "/api/v1/namespaces/{namespace}/pods/{name}");
    // Paths (8) -> NamedPathItem (2) -> PathItem (2) -> patch operation (8) with parameters (8).
    byte[] paths = Proto.fields(proto, 8).get(0);
    boolean found = false;
    for (byte[] named : Proto.fields(paths, 2)) {
      String name = new String(Proto.fields(named, 1).get(0), StandardCharsets.UTF_8);
      if (name.equals("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")) {
        byte[] patch = Proto.fields(Proto.fields(named, 2).get(0), 8).get(0);
        found =
            Proto.fields(patch, 8).stream()
                .anyMatch(
                    p -> new String(p, StandardCharsets.ISO_8859_1).contains("fieldValidation"));
      }
    }
    assertThat(found).isTrue();
  }

  private static List<String> paramNames(JsonNode operation) {
    List<String> names = new ArrayList<>();
    operation.path("parameters").forEach(p -> names.add(p.path("name").asText()));
    return names;
  }

  /** Just enough protobuf reading to walk length-delimited fields. */
  private static final class Proto {
    static List<byte[]> fields(byte[] message, int wanted) {
      List<byte[]> found = new ArrayList<>();
      int[] at = {0};
      while (at[0] < message.length) {
        long key = varint(message, at);
        int field = (int) (key >>> 3);
        int wire = (int) (key & 7);
        if (wire == 0) {
          varint(message, at);
        } else if (wire == 2) {
          int length = (int) varint(message, at);
          if (field == wanted) {
            found.add(java.util.Arrays.copyOfRange(message, at[0], at[0] + length));
          }
          at[0] += length;
        } else if (wire == 1) {
          at[0] += 8;
        } else {
          throw new IllegalStateException("unexpected wire type " + wire);
        }
      }
      return found;
    }

    private static long varint(byte[] bytes, int[] at) {
      long value = 0;
      int shift = 0;
      while (true) {
        byte b = bytes[at[0]++];
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
        shift += 7;
      }
    }
  }
}
