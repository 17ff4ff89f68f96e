package dev.keelson.bench.agent;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Pods created at a steady rate, each bound to a node by {@code spec.nodeName}, and the time from
 * its create request to the first watch event that shows it Running, and to the first that shows
 * its Ready condition True. All carry one label, so they are watched, counted and deleted as one.
 */
final class PodStarts implements AutoCloseable {

  static final String RUN_LABEL = "bench.keelson.dev/run";
  static final String NAMESPACE = "default";

  /** What one run measured; {@code problem} is the first failed create or watch, or null. */
  record Result(Latencies running, Latencies ready, int created, int failed, String problem) {}

  private final KubernetesClient client;
  private final String run;
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final Map<String, Long> runningAt = new ConcurrentHashMap<>();
  private final Map<String, Long> readyAt = new ConcurrentHashMap<>();
  private final Set<String> uids = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private final ExecutorService creators = Executors.newFixedThreadPool(8);
  private Watch watch;

  PodStarts(KubernetesClient client, String run) {
    this.client = client;
    this.run = run;
  }

  /**
   * Creates {@code count} pods at {@code perSecond}, pod i on {@code nodes[i % size]}, and waits
   * until every created pod is Ready or {@code timeout} has passed since the last create.
   */
  Result run(List<String> nodes, int count, double perSecond, Duration timeout)
      throws InterruptedException {
    watch();
    long period = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = start + i * period;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      Pod pod = pod(run + "-" + i, nodes.get(i % nodes.size()));
      creators.execute(() -> create(pod));
    }
    creators.shutdown();
    creators.awaitTermination(1, TimeUnit.MINUTES);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (readyAt.size() < sentAt.size() - failed.get() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return new Result(
        latencies(runningAt), latencies(readyAt), uids.size(), failed.get(), problem.get());
  }

  /** Deletes the run's pods in one request; answers the seconds until the API has none of them. */
  double deleteAll(Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    client.pods().inNamespace(NAMESPACE).withLabel(RUN_LABEL, run).delete();
    long deadline = start + timeout.toNanos();
    while (!client
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel(RUN_LABEL, run)
        .list()
        .getItems()
        .isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pods of " + run + " still there after " + timeout);
      }
      Thread.sleep(200);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The uids of the pods created, to find their containers. */
  Set<String> uids() {
    return Set.copyOf(uids);
  }

  private void create(Pod pod) {
    String name = pod.getMetadata().getName();
    sentAt.put(name, System.nanoTime());
    try {
      uids.add(client.pods().inNamespace(NAMESPACE).resource(pod).create().getMetadata().getUid());
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      problem.compareAndSet(null, "create " + name + ": " + e.getMessage());
    }
  }

  /** From the resourceVersion of a list, so no event after it is missed. */
  private void watch() {
    String version =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .withLabel(RUN_LABEL, run)
            .list()
            .getMetadata()
            .getResourceVersion();
    watch =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .withLabel(RUN_LABEL, run)
            .watch(
                new ListOptionsBuilder().withResourceVersion(version).build(),
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    seen(pod, System.nanoTime());
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    problem.compareAndSet(null, "the watch of pods ended: " + cause.getMessage());
                  }
                });
  }

  private void seen(Pod pod, long now) {
    if (pod.getStatus() == null) {
      return;
    }
    String name = pod.getMetadata().getName();
    if ("Running".equals(pod.getStatus().getPhase())) {
      runningAt.putIfAbsent(name, now);
    }
    if (pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
      readyAt.putIfAbsent(name, now);
    }
  }

  private Latencies latencies(Map<String, Long> reachedAt) {
    return new Latencies(
        reachedAt.entrySet().stream()
            .filter(e -> sentAt.containsKey(e.getKey()))
            .map(e -> TimeUnit.NANOSECONDS.toMillis(e.getValue() - sentAt.get(e.getKey())))
            .toList());
  }

  /** keelson/busybox:1 sleeping an hour, stopped within a second when deleted. */
  private Pod pod(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .addToLabels(RUN_LABEL, run)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withTerminationGracePeriodSeconds(1L)
        .addNewContainer()
        .withName("sleep")
        .withImage("keelson/busybox:1")
        .withCommand("sleep", "3600")
        .endContainer()
        .endSpec()
        .build();
  }

  @Override
  public void close() {
    creators.shutdownNow();
    if (watch != null) {
      watch.close();
    }
  }
}
