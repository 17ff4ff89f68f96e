package dev.keelson.e2e.agent;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The versions of one pod, read every 100 ms from the API, so a test sees states that last about a
 * second (ErrImagePull before ImagePullBackOff, a CrashLoopBackOff message before the restart).
 */
final class PodHistory implements AutoCloseable {

  private final List<Pod> seen = new CopyOnWriteArrayList<>();
  private final AtomicBoolean gone = new AtomicBoolean();
  private final ScheduledExecutorService poller;

  private PodHistory(KubernetesClient client, String name) {
    poller =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "pod-history-" + name);
              thread.setDaemon(true);
              return thread;
            });
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            Pod pod = Pods.get(client, name);
            if (pod == null) {
              gone.set(!seen.isEmpty());
            } else if (seen.isEmpty()
                || !seen.get(seen.size() - 1)
                    .getMetadata()
                    .getResourceVersion()
                    .equals(pod.getMetadata().getResourceVersion())) {
              seen.add(pod);
            }
          } catch (RuntimeException e) {
            // the next read may answer
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
  }

  static PodHistory of(KubernetesClient client, String name) {
    return new PodHistory(client, name);
  }

  /** Whether the pod was seen, and then seen gone. */
  boolean deleted() {
    return gone.get();
  }

  /** The versions seen, oldest first. */
  List<Pod> versions() {
    return List.copyOf(seen);
  }

  /** The waiting states the container was seen in, oldest first. */
  List<ContainerStateWaiting> waiting(String container) {
    List<ContainerStateWaiting> states = new ArrayList<>();
    for (Pod pod : seen) {
      ContainerStatus status = status(pod, container);
      if (status != null && status.getState() != null && status.getState().getWaiting() != null) {
        states.add(status.getState().getWaiting());
      }
    }
    return states;
  }

  /** The reasons of {@link #waiting}. */
  List<String> waitingReasons(String container) {
    return waiting(container).stream().map(ContainerStateWaiting::getReason).toList();
  }

  /** The restart counts the container was seen with, oldest first. */
  List<Integer> restartCounts(String container) {
    List<Integer> counts = new ArrayList<>();
    for (Pod pod : seen) {
      ContainerStatus status = status(pod, container);
      if (status != null && status.getRestartCount() != null) {
        counts.add(status.getRestartCount());
      }
    }
    return counts;
  }

  static ContainerStatus status(Pod pod, String container) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> s.getName().equals(container))
        .findFirst()
        .orElse(null);
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
