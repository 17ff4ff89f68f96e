package dev.keelson.nodeagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.nodeagent.metrics.MetricsPublisher;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.pod.RestartBackoff;
import dev.keelson.nodeagent.probe.Prober;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.volume.PodVolumes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node: registers its Node, renews its Lease, learns through the API the pods bound to it, and
 * keeps one {@link PodWorker} per pod. It never reads Kafka. Containers that carry this node's
 * label but belong to no pod bound here (a pod deleted while the agent was down, say) are removed;
 * the ones that do are adopted as they are, so an agent that restarts starts nothing twice.
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  private static final Duration HOUSEKEEPING = Duration.ofSeconds(10);

  /** What the agents of one process share: the API client, the runtime, and the threads. */
  public record Shared(
      KubernetesClient client,
      ContainerRuntime runtime,
      ScheduledExecutorService timer,
      Executor workers,
      int serverPort,
      ClusterServices services) {}

  private final Shared shared;
  private final AgentSettings settings;
  private final PodContext context;
  private final NodeHeartbeat heartbeat;
  private final MetricsPublisher metrics;
  private final PodEvents events;
  private final Map<String, PodWorker> pods = new ConcurrentHashMap<>();
  private final List<ScheduledFuture<?>> timers;
  private final Runnable routesChanged = this::routesChanged;
  private volatile SharedIndexInformer<Pod> informer;
  private volatile boolean synced;

  private NodeAgent(Shared shared, AgentSettings settings) {
    this.shared = shared;
    this.settings = settings;
    String version = shared.runtime().version();
    this.events = new PodEvents(shared.client(), settings.nodeName());
    this.context =
        new PodContext(
            settings.nodeName(),
            settings.resources().address(),
            settings.sandboxImage(),
            settings.dataDir().resolve("pods").toAbsolutePath(),
            shared.runtime(),
            version.contains("://") ? version.substring(0, version.indexOf("://")) : "docker",
            new ApiPods(shared.client(), events),
            new ApiConfigSource(shared.client(), shared.services()::table),
            shared.services()::table,
            new Prober(shared.runtime()),
            settings.restarts(),
            pullBackoff(settings.restarts()),
            settings.clock(),
            settings.syncPeriod(),
            shared.workers(),
            shared.timer());
    this.heartbeat = new NodeHeartbeat(shared.client(), settings, version, shared.serverPort());
    this.metrics =
        new MetricsPublisher(
            shared.client(),
            shared.runtime(),
            settings.nodeName(),
            heartbeat::labels,
            this::podsByUid,
            context.runtimeScheme().equals("simulated"),
            settings.metricsPeriod(),
            settings.clock());
    this.timers = new java.util.ArrayList<>();
  }

  /**
   * Registers the node and starts its heartbeat and housekeeping. With {@code watchPods}, the agent
   * watches its own pods; else whoever hosts it feeds it through {@link #podChanged} and {@link
   * #podGone} (one watch serving many simulated nodes).
   */
  public static NodeAgent start(Shared shared, AgentSettings settings, boolean watchPods) {
    NodeAgent agent = new NodeAgent(shared, settings);
    shared.services().onRoutesChanged(agent.routesChanged);
    agent.heartbeat.register(true);
    agent.heartbeat.beat(true);
    // Spread the beats of many nodes over the period, rather than all at its start.
    long spread = ThreadLocalRandom.current().nextLong(settings.leaseRenewal().toMillis());
    agent.every(settings.leaseRenewal(), spread, agent::beat);
    agent.every(HOUSEKEEPING, spread, agent::housekeep);
    agent.every(
        settings.metricsPeriod(),
        spread % settings.metricsPeriod().toMillis(),
        agent.metrics::publish);
    if (watchPods) {
      agent.informer =
          shared
              .client()
              .pods()
              .inAnyNamespace()
              .withField("spec.nodeName", settings.nodeName())
              .inform(agent.handler(), 0);
      agent.shared.workers().execute(agent::waitForSync);
    } else {
      agent.synced = true;
    }
    return agent;
  }

  public String nodeName() {
    return settings.nodeName();
  }

  /** The pod, bound to this node, as the API has it now. */
  public void podChanged(Pod pod) {
    JsonNode json = Json.mapper().valueToTree(pod);
    String uid = json.path("metadata").path("uid").asText();
    pods.computeIfAbsent(uid, u -> new PodWorker(context, json)).update(json);
  }

  /** The pod is gone from the API. */
  public void podGone(Pod pod) {
    PodWorker worker = pods.get(pod.getMetadata().getUid());
    if (worker != null) {
      worker.gone();
    }
  }

  /** The pods the agent looks after, as the API had them last, by uid. */
  private Map<String, JsonNode> podsByUid() {
    Map<String, JsonNode> byUid = new java.util.HashMap<>();
    pods.forEach((uid, worker) -> byUid.put(uid, worker.pod()));
    return byUid;
  }

  /** How many pods the agent looks after. */
  public int podCount() {
    return pods.size();
  }

  /** Every pod's sandbox is routed anew at its next sync: now. */
  private void routesChanged() {
    pods.values().forEach(PodWorker::kick);
  }

  private ResourceEventHandler<Pod> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        podChanged(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod pod) {
        podChanged(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        podGone(pod);
      }
    };
  }

  private void waitForSync() {
    try {
      while (informer != null && !informer.hasSynced()) {
        Thread.sleep(50);
      }
      synced = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void beat() {
    boolean runtimeUp;
    try {
      shared.runtime().version();
      runtimeUp = true;
    } catch (RuntimeException e) {
      runtimeUp = false;
    }
    heartbeat.beat(runtimeUp);
  }

  /** Drops finished workers, and removes containers of this node that belong to no pod here. */
  private void housekeep() {
    pods.values().removeIf(PodWorker::finished);
    if (!synced) {
      return;
    }
    // The watch's cache too: it has synced before its handler was told of every pod in it.
    Set<String> bound = new HashSet<>(pods.keySet());
    SharedIndexInformer<Pod> watching = informer;
    if (watching != null) {
      watching.getStore().list().forEach(pod -> bound.add(pod.getMetadata().getUid()));
    }
    Set<String> orphans = new HashSet<>();
    for (RuntimeContainer container :
        shared.runtime().list(Map.of(PodContainers.NODE, settings.nodeName()))) {
      String uid = container.labels().get(PodContainers.POD_UID);
      if (uid != null && !bound.contains(uid)) {
        orphans.add(uid);
        shared.runtime().remove(container.id());
      }
    }
    for (String uid : orphans) {
      LOG.info("removed the containers of pod {}, which is not bound here", uid);
      PodVolumes.remove(context.podsDir().resolve(uid));
    }
  }

  private void every(Duration period, long delayMillis, Runnable task) {
    timers.add(
        shared
            .timer()
            .scheduleAtFixedRate(
                () -> shared.workers().execute(() -> guarded(task)),
                delayMillis,
                period.toMillis(),
                TimeUnit.MILLISECONDS));
  }

  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("node {}: {}", settings.nodeName(), e.toString());
    }
  }

  /** Back-off between attempts to find a missing image: the same figures as restarts. */
  private static RestartBackoff pullBackoff(RestartBackoff restarts) {
    return restarts.copy();
  }

  /** Stops watching and beating. The pods' containers keep running, as with a kubelet. */
  @Override
  public void close() {
    shared.services().forget(routesChanged);
    timers.forEach(t -> t.cancel(false));
    SharedIndexInformer<Pod> watching = informer;
    informer = null;
    if (watching != null) {
      watching.close();
    }
    events.close();
  }
}
