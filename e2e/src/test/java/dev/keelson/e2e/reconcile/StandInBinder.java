package dev.keelson.e2e.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the scheduler, for these tests only: every 100 ms it binds each unscheduled pod of
 * one namespace to the next of the given nodes, round-robin, through pods/NAME/binding as a
 * scheduler does. It filters and scores nothing; the controllers under test create pods, and
 * something has to place them so that the simulated nodes run them.
 */
final class StandInBinder implements AutoCloseable {

  private final KubernetesClient client;
  private final String server;
  private final String namespace;
  private final List<String> nodes;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "stand-in-binder");
            t.setDaemon(true);
            return t;
          });

  StandInBinder(KubernetesClient client, String server, String namespace, List<String> nodes) {
    this.client = client;
    this.server = server;
    this.namespace = namespace;
    this.nodes = List.copyOf(nodes);
    loop.scheduleWithFixedDelay(this::bindAll, 0, 100, TimeUnit.MILLISECONDS);
  }

  /** Leaves new pods unscheduled until {@link #resume()}. */
  void pause() {
    paused.set(true);
  }

  void resume() {
    paused.set(false);
  }

  private void bindAll() {
    if (paused.get()) {
      return;
    }
    try {
      for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
        boolean unscheduled =
            pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty();
        if (unscheduled && pod.getMetadata().getDeletionTimestamp() == null) {
          bind(pod.getMetadata().getName(), nodes.get(next.getAndIncrement() % nodes.size()));
        }
      }
    } catch (KubernetesClientException e) {
      // a pod that went or was bound meanwhile; the next round looks again
    }
  }

  private void bind(String pod, String node) {
    String binding =
        """
        {"apiVersion":"v1","kind":"Binding","metadata":{"name":"%s"},
         "target":{"apiVersion":"v1","kind":"Node","name":"%s"}}
        """
            .formatted(pod, node);
    client.raw(
        server + "/api/v1/namespaces/" + namespace + "/pods/" + pod + "/binding", "POST", binding);
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
