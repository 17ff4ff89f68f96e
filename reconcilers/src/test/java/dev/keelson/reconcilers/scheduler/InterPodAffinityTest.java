package dev.keelson.reconcilers.scheduler;

import static dev.keelson.reconcilers.scheduler.Fixtures.labels;
import static dev.keelson.reconcilers.scheduler.Fixtures.nodeJson;
import static dev.keelson.reconcilers.scheduler.Fixtures.pod;
import static dev.keelson.reconcilers.scheduler.Fixtures.podJson;
import static dev.keelson.reconcilers.scheduler.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterPodAffinityTest {

  private static final String HOSTNAME = "kubernetes.io/hostname";

  private static NodeInfo node(String name, String zone) {
    return Fixtures.node(
        labels(
            nodeJson(name, "4", "8Gi"),
            "{\"kubernetes.io/hostname\": \"" + name + "\", \"zone\": \"" + zone + "\"}"));
  }

  private static PodInfo labelled(String name, String app) {
    return pod(labels(podJson(name, "100m", "10Mi"), "{\"app\": \"" + app + "\"}"));
  }

  /** A pod labelled app={@code app} with one required term of {@code kind} over {@code key}. */
  private static PodInfo withTerm(
      String name, String app, String kind, String selects, String key) {
    return pod(
        spec(
            labels(podJson(name, "100m", "10Mi"), "{\"app\": \"" + app + "\"}"),
            "affinity",
            "{\""
                + kind
                + "\": {\"requiredDuringSchedulingIgnoredDuringExecution\": [{\"labelSelector\":"
                + " {\"matchLabels\": {\"app\": \""
                + selects
                + "\"}}, \"topologyKey\": \""
                + key
                + "\"}]}}"));
  }

  private static InterPodAffinity prepare(PodInfo pod, List<NodeInfo> nodes) {
    boolean anti = nodes.stream().anyMatch(NodeInfo::hasAntiAffinityPods);
    return InterPodAffinity.prepare(pod, nodes, anti, ns -> Map.of());
  }

  @Test
  void antiAffinityOnHostnameKeepsThePodOffNodesWithAPodItSelects() {
    NodeInfo a = node("a", "z1");
    NodeInfo b = node("b", "z1");
    a.add(labelled("web-1", "web"));
    PodInfo web2 = withTerm("web-2", "web", "podAntiAffinity", "web", HOSTNAME);
    InterPodAffinity check = prepare(web2, List.of(a, b));
    assertThat(check.check(a)).isEqualTo("node(s) didn't match pod anti-affinity rules");
    assertThat(check.check(b)).isNull();
  }

  @Test
  void antiAffinityOnAZoneKeepsThePodOutOfTheWholeZone() {
    NodeInfo a = node("a", "z1");
    NodeInfo b = node("b", "z1");
    NodeInfo c = node("c", "z2");
    a.add(labelled("db-1", "db"));
    InterPodAffinity check =
        prepare(withTerm("db-2", "db", "podAntiAffinity", "db", "zone"), List.of(a, b, c));
    assertThat(check.check(b)).isEqualTo("node(s) didn't match pod anti-affinity rules");
    assertThat(check.check(c)).isNull();
  }

  @Test
  void anExistingPodsAntiAffinityKeepsOthersItSelectsAway() {
    NodeInfo a = node("a", "z1");
    NodeInfo b = node("b", "z1");
    a.add(withTerm("loner", "loner", "podAntiAffinity", "noisy", HOSTNAME));
    InterPodAffinity check = prepare(labelled("n", "noisy"), List.of(a, b));
    assertThat(check.check(a))
        .isEqualTo("node(s) didn't satisfy existing pods anti-affinity rules");
    assertThat(check.check(b)).isNull();
    // A pod the existing term does not select goes anywhere.
    InterPodAffinity quiet = prepare(labelled("q", "quiet"), List.of(a, b));
    assertThat(quiet.check(a)).isNull();
  }

  @Test
  void affinityNeedsASelectedPodInTheNodesDomain() {
    NodeInfo a = node("a", "z1");
    NodeInfo b = node("b", "z1");
    NodeInfo c = node("c", "z2");
    a.add(labelled("cache", "cache"));
    InterPodAffinity check =
        prepare(withTerm("web", "web", "podAffinity", "cache", "zone"), List.of(a, b, c));
    assertThat(check.check(a)).isNull();
    assertThat(check.check(b)).isNull();
    assertThat(check.check(c)).isEqualTo("node(s) didn't match pod affinity rules");
  }

  @Test
  void theFirstOfAGroupThatSelectsItselfMayGoAnywhere() {
    NodeInfo a = node("a", "z1");
    PodInfo first = withTerm("g-1", "group", "podAffinity", "group", "zone");
    assertThat(prepare(first, List.of(a)).check(a)).isNull();
    // Not so for a pod whose term selects others that are not there.
    PodInfo lonely = withTerm("l", "lonely", "podAffinity", "group", "zone");
    assertThat(prepare(lonely, List.of(a)).check(a))
        .isEqualTo("node(s) didn't match pod affinity rules");
  }

  private static PodInfo antiWithNamespaces(String namespaces) {
    return pod(
        spec(
            podJson("web-2", "100m", "10Mi"),
            "affinity",
            "{\"podAntiAffinity\": {\"requiredDuringSchedulingIgnoredDuringExecution\": [{"
                + "\"labelSelector\": {\"matchLabels\": {\"app\": \"web\"}},"
                + " \"topologyKey\": \"kubernetes.io/hostname\""
                + namespaces
                + "}]}}"));
  }

  @Test
  void termsSelectPodsOfTheirOwnNamespaceUnlessTheyNameOthers() {
    NodeInfo a = node("a", "z1");
    com.fasterxml.jackson.databind.node.ObjectNode prodPod =
        labels(podJson("web-1", "100m", "10Mi"), "{\"app\": \"web\"}");
    prodPod.with("metadata").put("namespace", "prod");
    a.add(pod(prodPod));
    Map<String, Map<String, String>> namespaceLabels = Map.of("prod", Map.of("team", "x"));
    List<NodeInfo> nodes = List.of(a);
    assertThat(
            InterPodAffinity.prepare(antiWithNamespaces(""), nodes, false, namespaceLabels::get)
                .check(a))
        .isNull();
    assertThat(
            InterPodAffinity.prepare(
                    antiWithNamespaces(", \"namespaces\": [\"prod\"]"),
                    nodes,
                    false,
                    namespaceLabels::get)
                .check(a))
        .isNotNull();
    assertThat(
            InterPodAffinity.prepare(
                    antiWithNamespaces(", \"namespaceSelector\": {}"),
                    nodes,
                    false,
                    namespaceLabels::get)
                .check(a))
        .isNotNull();
    assertThat(
            InterPodAffinity.prepare(
                    antiWithNamespaces(
                        ", \"namespaceSelector\": {\"matchLabels\": {\"team\": \"y\"}}"),
                    nodes,
                    false,
                    namespaceLabels::get)
                .check(a))
        .isNull();
    assertThat(
            InterPodAffinity.prepare(
                    antiWithNamespaces(
                        ", \"namespaceSelector\": {\"matchLabels\": {\"team\": \"x\"}}"),
                    nodes,
                    false,
                    namespaceLabels::get)
                .check(a))
        .isNotNull();
  }
}
