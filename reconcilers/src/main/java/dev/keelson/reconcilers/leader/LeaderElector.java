package dev.keelson.reconcilers.leader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.StoredObject;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.write.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership through a coordination.k8s.io Lease, as client-go's leader election does it, so that
 * of several processes running the same reconcilers only one acts at a time. The Lease lives in the
 * change log (compare-and-set through the write path: of two processes renewing or taking the same
 * version, the log's order lets one win), and {@code kubectl get lease -n kube-system} shows who
 * leads.
 *
 * <p>The leader renews every {@code retryPeriod}; if it has not renewed for {@code renewDeadline}
 * it stops acting at once. Another process takes the Lease only when it has seen the same record
 * unchanged for {@code leaseDuration} by its own clock; since the renew deadline is shorter than
 * the lease duration, the old leader has stopped before the new one starts. A leader that stops
 * cleanly releases the Lease, so its successor need not wait.
 */
public final class LeaderElector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderElector.class);
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
          .withZone(java.time.ZoneOffset.UTC);

  /** Upstream's defaults: 15 s, 10 s, 2 s. */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

    public Timing {
      if (renewDeadline.compareTo(leaseDuration) >= 0) {
        throw new IllegalArgumentException("the renew deadline must be shorter than the lease");
      }
    }

    /** All three scaled by {@code factor} (tests use short leases). */
    public Timing scaled(double factor) {
      return new Timing(
          Duration.ofMillis((long) (leaseDuration.toMillis() * factor)),
          Duration.ofMillis((long) (renewDeadline.toMillis() * factor)),
          Duration.ofMillis((long) (retryPeriod.toMillis() * factor)));
    }
  }

  /** What leading starts and stops. */
  public interface Callbacks {
    void startedLeading();

    void stoppedLeading();
  }

  private final ClusterWriter writer;
  private final ResourceKey key;
  private final String identity;
  private final Timing timing;
  private final ScheduledExecutorService timer;
  private final Callbacks callbacks;

  private boolean leading;
  private long lastRenewNanos;
  private String observedRecord;
  private long observedNanos;
  private boolean writing;
  private boolean closed;

  public LeaderElector(
      ClusterWriter writer,
      String namespace,
      String name,
      String identity,
      Timing timing,
      ScheduledExecutorService timer,
      Callbacks callbacks) {
    this.writer = writer;
    this.key = ResourceKey.of("coordination.k8s.io", "Lease", namespace, name);
    this.identity = identity;
    this.timing = timing;
    this.timer = timer;
    this.callbacks = callbacks;
  }

  public void start() {
    timer.execute(this::tick);
  }

  public synchronized boolean isLeader() {
    return leading;
  }

  public String identity() {
    return identity;
  }

  private void tick() {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (leading && System.nanoTime() - lastRenewNanos > timing.renewDeadline().toNanos()) {
        LOG.warn(
            "{}: lease {} not renewed within {}, leading no more",
            identity,
            key,
            timing.renewDeadline());
        stopLeading();
      }
      if (writing) {
        schedule();
        return;
      }
      writing = true;
    }
    CompletableFuture<Boolean> attempt;
    try {
      attempt = tryAcquireOrRenew();
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete(
        (held, error) -> {
          synchronized (this) {
            writing = false;
            if (closed) {
              return;
            }
            if (error != null) {
              LOG.debug("{}: lease {} not written: {}", identity, key, error.toString());
            } else if (held) {
              lastRenewNanos = System.nanoTime();
              if (!leading) {
                leading = true;
                LOG.info("{}: leading through lease {}", identity, key);
                startLeading();
              }
            } else if (leading) {
              LOG.warn("{}: lease {} taken by another, leading no more", identity, key);
              stopLeading();
            }
            schedule();
          }
        });
  }

  private void schedule() {
    timer.schedule(this::tick, timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Completes with whether this process holds the lease after the attempt. */
  private CompletableFuture<Boolean> tryAcquireOrRenew() {
    Optional<StoredObject> current = writer.projection().get(key);
    Instant now = writer.clock().instant();
    if (current.isEmpty()) {
      ObjectNode lease = Json.object();
      lease.put("apiVersion", "coordination.k8s.io/v1");
      lease.put("kind", "Lease");
      lease.with("metadata").put("name", key.name()).put("namespace", key.namespace());
      fillSpec(lease.with("spec"), now, true, 0);
      return writer.create(lease).thenApply(r -> r instanceof WriteResult.Accepted);
    }
    StoredObject stored = current.get();
    ObjectNode lease = stored.object();
    JsonNode spec = lease.path("spec");
    String holder = spec.path("holderIdentity").asText("");
    String record = holder + "|" + spec.path("renewTime").asText("") + "|" + stored.revision();
    synchronized (this) {
      if (!record.equals(observedRecord)) {
        observedRecord = record;
        observedNanos = System.nanoTime();
      }
    }
    boolean mine = holder.equals(identity);
    long seconds = spec.path("leaseDurationSeconds").asLong(0);
    long leaseNanos =
        seconds > 0 ? TimeUnit.SECONDS.toNanos(seconds) : timing.leaseDuration().toNanos();
    boolean expired;
    synchronized (this) {
      expired = holder.isEmpty() || System.nanoTime() - observedNanos > leaseNanos;
    }
    if (!mine && !expired) {
      return CompletableFuture.completedFuture(false);
    }
    int transitions = spec.path("leaseTransitions").asInt(0) + (mine ? 0 : 1);
    ObjectNode newSpec = lease.with("spec");
    fillSpec(newSpec, now, !mine, transitions);
    if (mine) {
      newSpec.put("acquireTime", spec.path("acquireTime").asText(micro(now)));
    }
    return writer.update(lease).thenApply(r -> r instanceof WriteResult.Accepted);
  }

  private void fillSpec(ObjectNode spec, Instant now, boolean acquired, int transitions) {
    spec.put("holderIdentity", identity);
    spec.put("leaseDurationSeconds", Math.max(1, timing.leaseDuration().toSeconds()));
    if (acquired) {
      spec.put("acquireTime", micro(now));
    }
    spec.put("renewTime", micro(now));
    spec.put("leaseTransitions", transitions);
  }

  private static String micro(Instant time) {
    return MICRO_TIME.format(time.truncatedTo(ChronoUnit.MICROS));
  }

  private void startLeading() {
    try {
      callbacks.startedLeading();
    } catch (RuntimeException e) {
      LOG.error("{}: starting to lead failed", identity, e);
    }
  }

  private void stopLeading() {
    leading = false;
    try {
      callbacks.stoppedLeading();
    } catch (RuntimeException e) {
      LOG.error("{}: stopping to lead failed", identity, e);
    }
  }

  /** Stops; a leader stops acting, then releases the lease so that a successor need not wait. */
  @Override
  public void close() {
    boolean release;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      release = leading;
      if (leading) {
        stopLeading();
      }
    }
    if (!release) {
      return;
    }
    try {
      writer
          .modify(
              key,
              null,
              dev.keelson.write.WritePath.Part.MAIN,
              lease -> {
                ObjectNode spec = lease.with("spec");
                if (identity.equals(spec.path("holderIdentity").asText())) {
                  spec.put("holderIdentity", "");
                  spec.put("leaseDurationSeconds", 1);
                }
                return lease;
              })
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.info("{}: lease {} not released: {}", identity, key, e.toString());
    }
  }
}
