package dev.keelson.e2e.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the scheduler in tests of controllers that create pods: every 200 ms it binds each
 * pending pod of a namespace that has no node to one of {@code nodes} (in turn), through the API's
 * pods/binding as a scheduler does. No filtering, no scoring.
 */
final class StandInBinder implements AutoCloseable {

  private final KubernetesClient client;
  private final String namespace;
  private final List<String> nodes;
  private final AtomicInteger next = new AtomicInteger();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "stand-in-binder");
            t.setDaemon(true);
            return t;
          });

  StandInBinder(KubernetesClient client, String namespace, List<String> nodes) {
    this.client = client;
    this.namespace = namespace;
    this.nodes = List.copyOf(nodes);
    timer.scheduleWithFixedDelay(this::bindPending, 0, 200, TimeUnit.MILLISECONDS);
  }

  private void bindPending() {
    try {
      for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
        boolean unbound =
            pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty();
        if (unbound && pod.getMetadata().getDeletionTimestamp() == null) {
          bind(pod);
        }
      }
    } catch (RuntimeException e) {
      // The next round tries again (a pod deleted meanwhile, a bind that lost a race).
    }
  }

  private void bind(Pod pod) {
    String node = nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
    String name = pod.getMetadata().getName();
    String body =
        """
        {"apiVersion":"v1","kind":"Binding","metadata":{"name":"%s","uid":"%s"},
         "target":{"apiVersion":"v1","kind":"Node","name":"%s"}}
        """
            .formatted(name, pod.getMetadata().getUid(), node);
    client.raw(
        client.getMasterUrl() + "api/v1/namespaces/" + namespace + "/pods/" + name + "/binding",
        "POST",
        body);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
