package dev.keelson.proxy;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy of one host: watches Services and Endpoints through the API and keeps the {@link
 * TcpForwarder} on the {@link ProxyTable} they make. Level-triggered: every change (batched over a
 * few milliseconds) computes the whole table again, and a periodic sync retries what failed to
 * bind.
 */
public final class ServiceProxy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
  private static final Duration BATCH = Duration.ofMillis(20);
  private static final Duration RESYNC = Duration.ofSeconds(10);

  /**
   * @param nodeIp where NodePorts listen
   * @param podGateway where this host's pods reach the proxy (the pods' network gateway), or null
   * @param threads event loop threads that copy bytes
   */
  public record Settings(String nodeIp, String podGateway, int threads, Duration connectTimeout) {}

  private final KubernetesClient client;
  private final Settings settings;
  private final ProxyMetrics metrics = new ProxyMetrics();
  private final TcpForwarder forwarder;
  private final ScheduledExecutorService syncs;
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile CompletableFuture<Set<Frontend>> lastSync =
      CompletableFuture.completedFuture(Set.of());
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<Endpoints> endpoints;

  private ServiceProxy(KubernetesClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
    this.forwarder = new TcpForwarder(settings.threads(), metrics, settings.connectTimeout());
    this.syncs =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "keelson-proxy-sync");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts watching; blocks until both watches have listed what exists and the table is applied.
   */
  public static ServiceProxy start(KubernetesClient client, Settings settings) throws Exception {
    ServiceProxy proxy = new ServiceProxy(client, settings);
    try {
      proxy.services = client.services().inAnyNamespace().inform(proxy.changes(), 0);
      proxy.endpoints = client.endpoints().inAnyNamespace().inform(proxy.changes(), 0);
      proxy.syncNow().get(30, TimeUnit.SECONDS);
      proxy.syncs.scheduleWithFixedDelay(
          proxy::syncSoon, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
      return proxy;
    } catch (Exception | Error e) {
      proxy.close();
      throw e;
    }
  }

  private <T> ResourceEventHandler<T> changes() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        syncSoon();
      }

      @Override
      public void onUpdate(T before, T after) {
        syncSoon();
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        syncSoon();
      }
    };
  }

  /** Schedules one sync shortly; changes that arrive meanwhile join it. */
  private void syncSoon() {
    if (pending.compareAndSet(false, true)) {
      syncs.schedule(this::sync, BATCH.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private CompletableFuture<Set<Frontend>> syncNow() {
    return CompletableFuture.supplyAsync(this::sync, syncs).thenCompose(f -> f);
  }

  private CompletableFuture<Set<Frontend>> sync() {
    pending.set(false);
    try {
      List<Service> serviceList = services == null ? List.of() : services.getStore().list();
      List<Endpoints> endpointList = endpoints == null ? List.of() : endpoints.getStore().list();
      ProxyTable table =
          ProxyTable.of(serviceList, endpointList, settings.nodeIp(), settings.podGateway());
      lastSync = forwarder.apply(table);
      return lastSync;
    } catch (RuntimeException e) {
      LOG.error("proxy sync failed: {}", e.toString(), e);
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The addresses listened on now. */
  public Set<Frontend> listening() {
    return forwarder.listening();
  }

  /** The metrics in the Prometheus text format. */
  public String metrics() {
    return metrics.render();
  }

  /** Connections open now. */
  public long activeConnections() {
    return metrics.active();
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    if (services != null) {
      services.close();
    }
    if (endpoints != null) {
      endpoints.close();
    }
    syncs.shutdownNow();
    forwarder.close();
  }
}
