package dev.keelson.reconcilers.control;

import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.ListQuery;
import dev.keelson.projection.OwnerRef;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * One reconciler fed by the changes it cares about: every object of its primary kind is queued when
 * it starts (and again every resync period), and each change of a watched kind queues the keys it
 * maps to (a pod's change queues its owning ReplicaSet, say). Keys go through a {@link WorkQueue}.
 */
public final class Controller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  /** A kind whose changes queue the keys {@code keys} maps them to. */
  public record Trigger(GroupKind kind, Function<WatchEvent, Collection<ResourceKey>> keys) {}

  private final String name;
  private final GroupKind primary;
  private final Reconciler reconciler;
  private final List<Trigger> triggers;
  private final int concurrency;
  private final Duration resync;
  private final Backoff backoff;
  private final List<Disposable> subscriptions = new CopyOnWriteArrayList<>();
  private WorkQueue<ResourceKey> queue;
  private ScheduledFuture<?> resyncTask;
  private volatile boolean closed;

  private Controller(Builder b) {
    this.name = b.name;
    this.primary = b.primary;
    this.reconciler = b.reconciler;
    this.triggers = List.copyOf(b.triggers);
    this.concurrency = b.concurrency;
    this.resync = b.resync;
    this.backoff = b.backoff;
  }

  public static Builder builder(String name, GroupKind primary, Reconciler reconciler) {
    return new Builder(name, primary, reconciler);
  }

  public String name() {
    return name;
  }

  /** Starts watching and reconciling; everything of the primary kind is queued at once. */
  public synchronized void start(
      Projection projection, Executor executor, ScheduledExecutorService timer) {
    queue = new WorkQueue<>(name, reconciler::reconcile, concurrency, backoff, executor, timer);
    long from = projection.revision();
    for (Trigger trigger : triggers) {
      follow(projection, trigger, from);
    }
    enqueueAll(projection);
    if (!resync.isZero()) {
      resyncTask =
          timer.scheduleAtFixedRate(
              () -> enqueueAll(projection),
              resync.toMillis(),
              resync.toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  /** Queues a key now (for a reconciler that learns of work another way). */
  public void enqueue(ResourceKey key) {
    WorkQueue<ResourceKey> q = queue;
    if (q != null) {
      q.add(key);
    }
  }

  /** Queues a key after {@code delay}. */
  public void enqueueAfter(ResourceKey key, Duration delay) {
    WorkQueue<ResourceKey> q = queue;
    if (q != null) {
      q.addAfter(key, delay);
    }
  }

  /** Keys waiting or being reconciled. */
  public int depth() {
    WorkQueue<ResourceKey> q = queue;
    return q == null ? 0 : q.depth();
  }

  private void enqueueAll(Projection projection) {
    if (closed) {
      return;
    }
    for (StoredObject object : projection.list(ListQuery.all(primary)).items()) {
      queue.add(object.key());
    }
  }

  /** Follows one kind from {@code from}; a watch that ends is taken up where it stopped. */
  private void follow(Projection projection, Trigger trigger, long from) {
    if (closed) {
      return;
    }
    AtomicLong seen = new AtomicLong(from);
    Disposable subscription =
        projection
            .watch(trigger.kind(), null, from)
            .subscribe(
                event -> {
                  seen.set(event.revision());
                  for (ResourceKey key : keys(trigger, event)) {
                    queue.add(key);
                  }
                },
                error -> {
                  LOG.info(
                      "{}: watch of {} ended ({}), watching again from {}",
                      name,
                      trigger.kind(),
                      error.toString(),
                      seen.get());
                  follow(projection, trigger, seen.get());
                  enqueueAll(projection);
                });
    subscriptions.add(subscription);
  }

  private Collection<ResourceKey> keys(Trigger trigger, WatchEvent event) {
    try {
      return trigger.keys().apply(event);
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: cannot map a change of {} to keys: {}", name, event.object().key(), e.toString());
      return List.of();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (resyncTask != null) {
      resyncTask.cancel(false);
    }
    subscriptions.forEach(Disposable::dispose);
    subscriptions.clear();
    if (queue != null) {
      queue.close();
    }
  }

  /** The key of the object a change is about. */
  public static Collection<ResourceKey> self(WatchEvent event) {
    return List.of(event.object().key());
  }

  /**
   * The keys of the controllers of kind {@code ownerKind} (group {@code ownerGroup}) that own the
   * object, before and after the change, so that an object that changes owner queues both.
   */
  public static Function<WatchEvent, Collection<ResourceKey>> owners(
      String ownerGroup, String ownerKind) {
    return event -> {
      Set<ResourceKey> keys = new LinkedHashSet<>();
      addOwner(keys, event.object(), ownerGroup, ownerKind);
      if (event.previous() != null) {
        addOwner(keys, event.previous(), ownerGroup, ownerKind);
      }
      return keys;
    };
  }

  private static void addOwner(
      Set<ResourceKey> keys, StoredObject object, String ownerGroup, String ownerKind) {
    // The projection read the owner references once, when it stored the object.
    for (OwnerRef owner : object.owners()) {
      if (owner.controller()
          && ownerKind.equals(owner.kind())
          && ownerGroup.equals(owner.group())) {
        keys.add(ResourceKey.of(ownerGroup, ownerKind, object.key().namespace(), owner.name()));
      }
    }
  }

  /** Builds a {@link Controller}. */
  public static final class Builder {
    private final String name;
    private final GroupKind primary;
    private final Reconciler reconciler;
    private final List<Trigger> triggers = new ArrayList<>();
    private int concurrency = 4;
    private Duration resync = Duration.ofMinutes(10);
    private Backoff backoff = Backoff.DEFAULT;

    private Builder(String name, GroupKind primary, Reconciler reconciler) {
      this.name = name;
      this.primary = primary;
      this.reconciler = reconciler;
      triggers.add(new Trigger(primary, Controller::self));
    }

    public Builder watch(GroupKind kind, Function<WatchEvent, Collection<ResourceKey>> keys) {
      triggers.add(new Trigger(kind, keys));
      return this;
    }

    /** Changes of objects of {@code kind} queue their controlling owner of the primary kind. */
    public Builder watchOwned(GroupKind kind) {
      return watch(kind, owners(primary.group(), primary.kind()));
    }

    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public Builder resync(Duration resync) {
      this.resync = resync;
      return this;
    }

    public Builder backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    public Controller build() {
      return new Controller(this);
    }
  }
}
