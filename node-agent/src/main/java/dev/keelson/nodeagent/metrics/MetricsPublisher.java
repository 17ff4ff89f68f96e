package dev.keelson.nodeagent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.Usage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes, through the API, what one node's pods use: every period, the PodMetrics of each pod
 * whose containers run (CPU as the rate since the previous reading, memory as read) and the
 * NodeMetrics of the node (their sum), as metrics-server would serve them. A pod whose containers
 * stopped, or that went, loses its PodMetrics. On a simulated node a pod's {@link SimulatedLoad}
 * annotation sets its containers' CPU.
 */
public final class MetricsPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsPublisher.class);

  static final ResourceDefinitionContext POD_METRICS = metrics("PodMetrics", "pods", true);
  static final ResourceDefinitionContext NODE_METRICS = metrics("NodeMetrics", "nodes", false);

  /** One running container's reading, and its rate when it had an earlier one. */
  private record Reading(
      String podUid, String container, Usage usage, Optional<UsageRate.Rate> rate) {}

  private final KubernetesClient client;
  private final ContainerRuntime runtime;
  private final String nodeName;
  private final Supplier<Map<String, String>> nodeLabels;
  private final Supplier<Map<String, JsonNode>> podsByUid;
  private final boolean simulated;
  private final Duration period;
  private final Clock clock;
  private final UsageWindows windows = new UsageWindows();
  private final Set<String> published = new HashSet<>();
  private final AtomicBoolean busy = new AtomicBoolean();

  /**
   * @param podsByUid the pods bound to the node now, by uid, as the API has them
   * @param simulated whether the node's runtime only pretends (pods may set their CPU use)
   */
  public MetricsPublisher(
      KubernetesClient client,
      ContainerRuntime runtime,
      String nodeName,
      Supplier<Map<String, String>> nodeLabels,
      Supplier<Map<String, JsonNode>> podsByUid,
      boolean simulated,
      Duration period,
      Clock clock) {
    this.client = client;
    this.runtime = runtime;
    this.nodeName = nodeName;
    this.nodeLabels = nodeLabels;
    this.podsByUid = podsByUid;
    this.simulated = simulated;
    this.period = period;
    this.clock = clock;
  }

  /** Reads and publishes once; a call while the previous one still runs does nothing. */
  public void publish() {
    if (!busy.compareAndSet(false, true)) {
      return;
    }
    try {
      publishNow();
    } finally {
      busy.set(false);
    }
  }

  private void publishNow() {
    Map<String, JsonNode> pods = podsByUid.get();
    Map<String, List<Reading>> byPod = new LinkedHashMap<>();
    for (Reading reading : read()) {
      byPod.computeIfAbsent(reading.podUid(), u -> new ArrayList<>()).add(reading);
    }
    Set<String> current = new HashSet<>();
    long nodeCpu = 0;
    long nodeMemory = 0;
    Duration window = period;
    Instant latest = clock.instant();
    int failed = 0;
    for (Map.Entry<String, List<Reading>> entry : byPod.entrySet()) {
      JsonNode pod = pods.get(entry.getKey());
      if (pod == null) {
        continue; // not a pod of ours
      }
      // A container without a window yet (just started again) leaves the last sample standing.
      current.add(Meta.namespace(pod) + "/" + Meta.name(pod));
      if (entry.getValue().stream().anyMatch(r -> r.rate().isEmpty())) {
        continue;
      }
      OptionalLong load = simulated ? SimulatedLoad.nanoCores(pod) : OptionalLong.empty();
      List<MetricsObjects.ContainerUsage> containers = new ArrayList<>();
      Instant time = Instant.EPOCH;
      for (Reading reading : entry.getValue()) {
        long cpu = load.orElse(reading.rate().get().nanoCores());
        containers.add(
            new MetricsObjects.ContainerUsage(
                reading.container(), cpu, reading.usage().memoryBytes()));
        nodeCpu += cpu;
        nodeMemory += reading.usage().memoryBytes();
        window = reading.rate().get().window();
        time = time.isAfter(reading.usage().time()) ? time : reading.usage().time();
      }
      ObjectNode metrics = MetricsObjects.podMetrics(pod, time, window, containers);
      if (write(POD_METRICS, Meta.namespace(metrics), metrics)) {
        published.add(Meta.namespace(metrics) + "/" + Meta.name(metrics));
      } else {
        failed++;
      }
    }
    for (String gone : new ArrayList<>(published)) {
      if (!current.contains(gone)) {
        failed += remove(gone) ? 0 : 1;
      }
    }
    ObjectNode node =
        MetricsObjects.nodeMetrics(nodeName, nodeLabels.get(), latest, window, nodeCpu, nodeMemory);
    failed += write(NODE_METRICS, null, node) ? 0 : 1;
    if (failed > 0) {
      LOG.warn(
          "node {}: {} metrics writes failed; they are tried again next period", nodeName, failed);
    }
  }

  /** The readings of the node's running containers; the windows of the others are forgotten. */
  private List<Reading> read() {
    List<Reading> readings = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (RuntimeContainer container : runtime.list(Map.of(PodContainers.NODE, nodeName))) {
      String uid = container.labels().get(PodContainers.POD_UID);
      String name = container.labels().get(PodContainers.CONTAINER);
      if (uid == null
          || name == null
          || name.equals(PodContainers.SANDBOX)
          || container.state() != RuntimeContainer.State.RUNNING) {
        continue;
      }
      Optional<Usage> usage = runtime.usage(container.id());
      if (usage.isPresent()) {
        ids.add(container.id());
        readings.add(
            new Reading(uid, name, usage.get(), windows.next(container.id(), usage.get())));
      }
    }
    windows.retain(ids);
    return readings;
  }

  /** Replaces the stored sample with a JSON patch, or creates the object when there is none. */
  private boolean write(ResourceDefinitionContext type, String namespace, ObjectNode metrics) {
    Resource<GenericKubernetesResource> resource = resource(type, namespace, Meta.name(metrics));
    try {
      try {
        resource.patch(
            PatchContext.of(PatchType.JSON), MetricsObjects.replaceSample(metrics).toString());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
        GenericKubernetesResource created =
            client
                .getKubernetesSerialization()
                .unmarshal(metrics.toString(), GenericKubernetesResource.class);
        var all = client.genericKubernetesResources(type);
        (namespace == null ? all : all.inNamespace(namespace)).resource(created).create();
      }
      return true;
    } catch (KubernetesClientException e) {
      LOG.debug("node {}: writing {} failed: {}", nodeName, Meta.name(metrics), e.getMessage());
      return false;
    }
  }

  private boolean remove(String namespacedName) {
    int slash = namespacedName.indexOf('/');
    try {
      resource(POD_METRICS, namespacedName.substring(0, slash), namespacedName.substring(slash + 1))
          .delete();
      published.remove(namespacedName);
      return true;
    } catch (KubernetesClientException e) {
      LOG.debug("node {}: deleting {} failed: {}", nodeName, namespacedName, e.getMessage());
      return false;
    }
  }

  private Resource<GenericKubernetesResource> resource(
      ResourceDefinitionContext type, String namespace, String name) {
    return namespace == null
        ? client.genericKubernetesResources(type).withName(name)
        : client.genericKubernetesResources(type).inNamespace(namespace).withName(name);
  }

  private static ResourceDefinitionContext metrics(String kind, String plural, boolean namespaced) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("metrics.k8s.io")
        .withVersion("v1beta1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }
}
