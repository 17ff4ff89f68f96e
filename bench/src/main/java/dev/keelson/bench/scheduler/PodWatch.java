package dev.keelson.bench.scheduler;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * A watch of the benchmark's pods with one set of labels, from the resourceVersion of a list made
 * just before, so no event after it is missed: the moment each pod was first seen bound (its {@code
 * spec.nodeName} set) and Running, and which pods exist. The times are when the events arrive here,
 * as any client of the API sees them.
 */
final class PodWatch implements AutoCloseable {

  private final Map<String, Long> boundAt = new ConcurrentHashMap<>();
  private final Map<String, Long> runningAt = new ConcurrentHashMap<>();
  private final Set<String> present = ConcurrentHashMap.newKeySet();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private final Watch watch;

  private PodWatch(KubernetesClient client, Map<String, String> labels) {
    var pods = client.pods().inNamespace(BenchPods.NAMESPACE).withLabels(labels);
    String version =
        pods.list(new ListOptionsBuilder().withLimit(1L).build())
            .getMetadata()
            .getResourceVersion();
    this.watch =
        pods.watch(
            new ListOptionsBuilder().withResourceVersion(version).build(),
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod pod) {
                seen(action, pod, System.nanoTime());
              }

              @Override
              public void onClose(WatcherException cause) {
                problem.compareAndSet(null, "the watch of pods ended: " + cause.getMessage());
              }
            });
  }

  static PodWatch start(KubernetesClient client, Map<String, String> labels) {
    return new PodWatch(client, labels);
  }

  private void seen(Watcher.Action action, Pod pod, long now) {
    String name = pod.getMetadata().getName();
    if (action == Watcher.Action.DELETED) {
      present.remove(name);
      return;
    }
    present.add(name);
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node != null && !node.isEmpty()) {
      boundAt.putIfAbsent(name, now);
    }
    if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
      runningAt.putIfAbsent(name, now);
    }
  }

  Span bound() {
    return Span.of(boundAt.values());
  }

  Span running() {
    return Span.of(runningAt.values());
  }

  /** Pods seen added and not yet deleted. */
  int present() {
    return present.size();
  }

  /** Why the watch may have missed events, or null. */
  String problem() {
    return problem.get();
  }

  /**
   * Waits until {@code count} reaches {@code target} or the deadline passes; answers whether it
   * did.
   */
  static boolean await(IntSupplier count, int target, long deadlineNanos, String what)
      throws InterruptedException {
    long nextReport = System.nanoTime() + 10_000_000_000L;
    while (count.getAsInt() < target) {
      long now = System.nanoTime();
      if (now > deadlineNanos) {
        return false;
      }
      if (now > nextReport) {
        System.err.printf("%s: %,d of %,d%n", what, count.getAsInt(), target);
        nextReport = now + 10_000_000_000L;
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Override
  public void close() {
    watch.close();
  }
}
