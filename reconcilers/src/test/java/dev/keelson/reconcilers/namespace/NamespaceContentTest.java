package dev.keelson.reconcilers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamespaceContentTest {

  static JsonNode condition(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    throw new AssertionError("no " + type);
  }

  @Test
  void whatRemainsIsCountedByResourceAndFinalizer() {
    Map<ResourceKey, JsonNode> objects = new LinkedHashMap<>();
    objects.put(ResourceKey.of("", "Pod", "ns", "a"), Json.parseObject("{\"metadata\":{}}"));
    objects.put(ResourceKey.of("", "Pod", "ns", "b"), Json.parseObject("{\"metadata\":{}}"));
    objects.put(
        ResourceKey.of("apps", "Deployment", "ns", "d"),
        Json.parseObject("{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}"));

    NamespaceContent left = NamespaceContent.of(objects, List.of());
    JsonNode conditions = left.conditions(Json.mapper().createArrayNode(), "t1");

    assertThat(left.empty()).isFalse();
    JsonNode remaining = condition(conditions, "NamespaceContentRemaining");
    assertThat(remaining.path("status").asText()).isEqualTo("True");
    assertThat(remaining.path("reason").asText()).isEqualTo("SomeResourcesRemain");
    assertThat(remaining.path("message").asText())
        .isEqualTo(
            "Some resources are remaining: deployments.apps has 1 resource instances,"
                + " pods has 2 resource instances");
    assertThat(condition(conditions, "NamespaceFinalizersRemaining").path("message").asText())
        .isEqualTo(
            "Some content in the namespace has finalizers remaining: example.com/hold in 1"
                + " resource instances");
    assertThat(condition(conditions, "NamespaceDeletionContentFailure").path("status").asText())
        .isEqualTo("False");
  }

  @Test
  void anEmptyNamespaceSaysAllIsRemovedAndKeepsTransitionTimesOfUnchangedConditions() {
    NamespaceContent empty = NamespaceContent.of(Map.of(), List.of());
    JsonNode first = empty.conditions(Json.mapper().createArrayNode(), "t1");

    JsonNode again = empty.conditions(first, "t2");

    assertThat(empty.empty()).isTrue();
    assertThat(again).isEqualTo(first);
    assertThat(condition(again, "NamespaceContentRemaining").path("reason").asText())
        .isEqualTo("ContentRemoved");
    assertThat(first).hasSize(5);
  }

  @Test
  void refusedDeletionsAreAContentFailure() {
    NamespaceContent left =
        NamespaceContent.of(
            Map.of(ResourceKey.of("", "Secret", "ns", "s"), Json.parseObject("{}")),
            List.of("secrets: no"));

    JsonNode failure =
        condition(
            left.conditions(Json.mapper().createArrayNode(), "t"),
            "NamespaceDeletionContentFailure");

    assertThat(failure.path("status").asText()).isEqualTo("True");
    assertThat(failure.path("message").asText())
        .isEqualTo("Failed to delete all resource types, 1 remaining: secrets: no");
  }

  @Test
  void kindsArePluralizedAsTheirResources() {
    assertThat(NamespaceContent.plural("pod")).isEqualTo("pods");
    assertThat(NamespaceContent.plural("endpoints")).isEqualTo("endpoints");
    assertThat(NamespaceContent.plural("ingress")).isEqualTo("ingresses");
    assertThat(NamespaceContent.plural("networkpolicy")).isEqualTo("networkpolicies");
    assertThat(NamespaceContent.plural("gateway")).isEqualTo("gateways");
    assertThat(NamespaceContent.resource(ResourceKey.of("batch", "CronJob", "ns", "c")))
        .isEqualTo("cronjobs.batch");
  }

  @Test
  void onlyADeletedNamespaceWithItsFinalizerIsEmptied() {
    assertThat(
            NamespaceReconciler.finalizing(
                Json.parseObject(
                    "{\"metadata\":{\"deletionTimestamp\":\"t\"},\"spec\":{\"finalizers\":[\"kubernetes\"]}}")))
        .isTrue();
    assertThat(
            NamespaceReconciler.finalizing(
                Json.parseObject("{\"metadata\":{},\"spec\":{\"finalizers\":[\"kubernetes\"]}}")))
        .isFalse();
    assertThat(
            NamespaceReconciler.finalizing(
                Json.parseObject("{\"metadata\":{\"deletionTimestamp\":\"t\"},\"spec\":{}}")))
        .isFalse();
  }
}
