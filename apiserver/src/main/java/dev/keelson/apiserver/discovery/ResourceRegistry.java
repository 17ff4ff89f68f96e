package dev.keelson.apiserver.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The resources Keelson serves, as upstream Kubernetes names them. */
public final class ResourceRegistry {

  private final List<ResourceType> types;

  public ResourceRegistry(List<ResourceType> types) {
    this.types = List.copyOf(types);
  }

  /** The built-in resources of the seeds. */
  public static ResourceRegistry builtIn() {
    List<ResourceType> t = new ArrayList<>();
    t.add(
        core(
            "Namespace",
            "namespaces",
            false,
            List.of("ns"),
            List.of(),
            List.of("status", "finalize")));
    t.add(
        core(
            "Pod",
            "pods",
            true,
            List.of("po"),
            List.of("all"),
            List.of("status", "binding", "log")));
    t.add(core("Node", "nodes", false, List.of("no"), List.of(), List.of("status")));
    t.add(core("Service", "services", true, List.of("svc"), List.of("all"), List.of("status")));
    t.add(core("Endpoints", "endpoints", true, List.of("ep"), List.of(), List.of()));
    t.add(core("ConfigMap", "configmaps", true, List.of("cm"), List.of(), List.of()));
    t.add(core("Secret", "secrets", true, List.of(), List.of(), List.of()));
    t.add(core("ServiceAccount", "serviceaccounts", true, List.of("sa"), List.of(), List.of()));
    t.add(core("Event", "events", true, List.of("ev"), List.of(), List.of()));
    t.add(
        new ResourceType(
            "apps",
            "v1",
            "Deployment",
            "deployments",
            "deployment",
            true,
            List.of("deploy"),
            List.of("all"),
            List.of("status", "scale")));
    t.add(
        new ResourceType(
            "apps",
            "v1",
            "ReplicaSet",
            "replicasets",
            "replicaset",
            true,
            List.of("rs"),
            List.of("all"),
            List.of("status", "scale")));
    t.add(
        new ResourceType(
            "batch",
            "v1",
            "Job",
            "jobs",
            "job",
            true,
            List.of(),
            List.of("all"),
            List.of("status")));
    t.add(
        new ResourceType(
            "autoscaling",
            "v2",
            "HorizontalPodAutoscaler",
            "horizontalpodautoscalers",
            "horizontalpodautoscaler",
            true,
            List.of("hpa"),
            List.of("all"),
            List.of("status")));
    t.add(
        new ResourceType(
            "coordination.k8s.io",
            "v1",
            "Lease",
            "leases",
            "lease",
            true,
            List.of(),
            List.of(),
            List.of()));
    // Container metrics, as metrics-server serves them; node agents write them (metrics topic).
    t.add(metrics("PodMetrics", "pods", true));
    t.add(metrics("NodeMetrics", "nodes", false));
    // Reviews are answers, never stored: create only.
    t.add(
        new ResourceType(
            "authentication.k8s.io",
            "v1",
            "TokenReview",
            "tokenreviews",
            "tokenreview",
            false,
            List.of(),
            List.of(),
            List.of()));
    return new ResourceRegistry(t);
  }

  /** The verbs a resource allows: all of them but for the create-only reviews. */
  public static List<String> verbs(ResourceType type) {
    return type.kind().endsWith("Review") ? List.of("create") : ResourceType.VERBS;
  }

  /** The group of container metrics: PodMetrics and NodeMetrics. */
  public static final String METRICS_GROUP = "metrics.k8s.io";

  private static ResourceType metrics(String kind, String plural, boolean namespaced) {
    return new ResourceType(
        METRICS_GROUP,
        "v1beta1",
        kind,
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        namespaced,
        List.of(),
        List.of(),
        List.of());
  }

  private static ResourceType core(
      String kind,
      String plural,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      List<String> subresources) {
    return new ResourceType(
        "",
        "v1",
        kind,
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        namespaced,
        shortNames,
        categories,
        subresources);
  }

  public List<ResourceType> all() {
    return types;
  }

  /** The resource at {@code group/version/plural}. */
  public Optional<ResourceType> find(String group, String version, String plural) {
    return types.stream()
        .filter(
            r ->
                r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  /** The group versions served, core ("v1") first, in a stable order. */
  public Map<String, List<ResourceType>> byGroupVersion() {
    Map<String, List<ResourceType>> grouped = new LinkedHashMap<>();
    for (ResourceType type : types) {
      grouped.computeIfAbsent(type.apiVersion(), v -> new ArrayList<>()).add(type);
    }
    return grouped;
  }
}
