package dev.keelson.nodeagent.agent;

import dev.keelson.nodeagent.service.ServiceTable;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cluster's Services, watched through the API in every namespace, once for every node of the
 * process: what pods' environments are made of, and the routes of every sandbox to the node's
 * proxy. A burst of changes becomes one new {@link ServiceTable} at most every {@link #SETTLE};
 * listeners hear of each table whose routes differ from the one before.
 */
final class ClusterServices implements AutoCloseable {

  /** How long changes gather before the table is made again. */
  static final Duration SETTLE = Duration.ofMillis(200);

  private final SharedIndexInformer<Service> informer;
  private final ScheduledExecutorService timer;
  private final Executor workers;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean due = new AtomicBoolean();
  private volatile ServiceTable table = ServiceTable.EMPTY;

  private ClusterServices(
      KubernetesClient client, ScheduledExecutorService timer, Executor workers) {
    this.timer = timer;
    this.workers = workers;
    this.informer = client.services().inAnyNamespace().runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Service service) {
            changed();
          }

          @Override
          public void onUpdate(Service before, Service service) {
            changed();
          }

          @Override
          public void onDelete(Service service, boolean finalStateUnknown) {
            changed();
          }
        });
  }

  /**
   * Starts watching, and answers once the Services have been read: as upstream's kubelet, the agent
   * makes no container's environment before it knows the Services.
   */
  static ClusterServices watch(
      KubernetesClient client, ScheduledExecutorService timer, Executor workers)
      throws ExecutionException, InterruptedException, TimeoutException {
    ClusterServices services = new ClusterServices(client, timer, workers);
    try {
      services.informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | InterruptedException | TimeoutException | RuntimeException e) {
      services.close();
      throw e;
    }
    services.rebuild();
    return services;
  }

  /** The Services as last read. */
  ServiceTable table() {
    return table;
  }

  /** Runs {@code listener} (on a worker thread) whenever the sandboxes' routes change. */
  void onRoutesChanged(Runnable listener) {
    listeners.add(listener);
  }

  void forget(Runnable listener) {
    listeners.remove(listener);
  }

  private void changed() {
    if (!due.compareAndSet(false, true)) {
      return;
    }
    try {
      timer.schedule(
          () -> workers.execute(this::rebuild), SETTLE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The agent is closing.
    }
  }

  private synchronized void rebuild() {
    due.set(false);
    ServiceTable before = table;
    ServiceTable now = ServiceTable.of(informer.getStore().list());
    table = now;
    if (!now.routes().equals(before.routes())) {
      listeners.forEach(Runnable::run);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
