package dev.keelson.apiserver.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.projection.HistoryQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history's query parameters: what they select, and the 400 of what they cannot mean. */
class HistoryRequestTest {

  private static final ResourceRegistry REGISTRY = ResourceRegistry.builtIn();

  private static HistoryRequest parse(String... pairs) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      params.put(pairs[i], pairs[i + 1]);
    }
    return HistoryRequest.parse(params.keySet(), params::get, REGISTRY);
  }

  private static void refused(String message, String... pairs) {
    assertThatThrownBy(() -> parse(pairs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void oneObjectByKindNamespaceAndName() {
    ResourceKey web = ResourceKey.of("apps", "Deployment", "default", "web");
    for (String kind : new String[] {"deployments", "Deployment", "deploy", "deployment.apps"}) {
      assertThat(parse("kind", kind, "namespace", "default", "name", "web").subject())
          .isEqualTo(new HistoryQuery.OfKey(web));
    }
    // A namespace means nothing to a cluster-scoped kind, as with kubectl.
    assertThat(parse("kind", "nodes", "namespace", "default", "name", "n1").subject())
        .isEqualTo(new HistoryQuery.OfKey(ResourceKey.of("", "Node", "", "n1")));
    // pods are the core group's, not metrics.k8s.io's.
    assertThat(parse("kind", "pods", "namespace", "a", "name", "p").subject())
        .isEqualTo(new HistoryQuery.OfKey(ResourceKey.of("", "Pod", "a", "p")));
  }

  @Test
  void oneObjectByUidAndScopesByKindAndNamespace() {
    assertThat(parse("uid", "u-1").subject()).isEqualTo(new HistoryQuery.OfUid("u-1"));
    assertThat(parse("namespace", "default").subject())
        .isEqualTo(new HistoryQuery.InScope(null, "default"));
    assertThat(parse("kind", "cm").subject())
        .isEqualTo(new HistoryQuery.InScope(GroupKind.core("ConfigMap"), null));
    assertThat(parse().subject()).isEqualTo(new HistoryQuery.InScope(null, null));
  }

  @Test
  void boundsAndLimits() {
    HistoryRequest request =
        parse(
            "namespace",
            "a",
            "sinceRevision",
            "10",
            "untilRevision",
            "20",
            "sinceTime",
            "2025-01-31T17:00:00+01:00",
            "untilTime",
            "2025-01-31T18:00:00.5Z",
            "limit",
            "50");
    assertThat(request.sinceRevision()).isEqualTo(10);
    assertThat(request.untilRevision()).isEqualTo(20);
    assertThat(request.sinceTime()).isEqualTo(Instant.parse("2025-01-31T16:00:00Z"));
    assertThat(request.untilTime()).isEqualTo(Instant.parse("2025-01-31T18:00:00.500Z"));
    assertThat(request.limit()).isEqualTo(50);
    assertThat(parse().limit()).isEqualTo(HistoryRequest.DEFAULT_LIMIT);
    assertThat(parse("limit", "0").limit()).isEqualTo(HistoryRequest.DEFAULT_LIMIT);
    assertThat(parse("limit", "1000000").limit()).isEqualTo(HistoryRequest.MAX_LIMIT);
    assertThat(request.token()).isNull();
  }

  @Test
  void whatCannotBeMeantIsRefusedSayingWhy() {
    refused("name needs kind", "name", "web", "namespace", "default");
    refused("deployments are namespaced: name needs namespace", "kind", "deploy", "name", "web");
    refused("uid names one object by itself", "uid", "u", "name", "web");
    refused("kind \"widgets\" is not a resource", "kind", "widgets");
    refused("have no history", "kind", "podmetrics");
    refused("have no history", "kind", "tokenreviews");
    refused("sinceRevision: \"abc\" is not a revision", "sinceRevision", "abc");
    refused("untilRevision: \"0\" is not a revision", "untilRevision", "0");
    refused(
        "untilRevision 3 is before sinceRevision 5", "sinceRevision", "5", "untilRevision", "3");
    refused("sinceTime: \"yesterday\" is not an RFC 3339 time", "sinceTime", "yesterday");
    refused("sinceTime: \"2025-01-31T17:00:00\" is not", "sinceTime", "2025-01-31T17:00:00");
    refused(
        "untilTime is before sinceTime",
        "sinceTime",
        "2025-02-01T00:00:00Z",
        "untilTime",
        "2025-01-01T00:00:00Z");
    refused("limit: \"ten\" is not a number", "limit", "ten");
    refused("unknown parameter \"namesapce\"", "namesapce", "default");
    refused("continue: not a continue token", "continue", "bm90IGEgdG9rZW4");
  }

  @Test
  void aContinueTokenServesOnlyTheQueryItWasMadeFor() {
    HistoryRequest first = parse("kind", "deploy", "namespace", "default", "limit", "2");
    String token = new HistoryToken(7, 42, first.fingerprint()).encode();
    // The same query, its kind named otherwise and another limit: the token serves.
    HistoryRequest same =
        parse("kind", "deployments.apps", "namespace", "default", "limit", "5", "continue", token);
    assertThat(same.token()).isEqualTo(new HistoryToken(7, 42, first.fingerprint()));
    refused(
        "the continue token belongs to another query",
        "kind",
        "deploy",
        "namespace",
        "other",
        "continue",
        token);
    refused(
        "the continue token belongs to another query",
        "kind",
        "deploy",
        "namespace",
        "default",
        "sinceRevision",
        "3",
        "continue",
        token);
  }
}
