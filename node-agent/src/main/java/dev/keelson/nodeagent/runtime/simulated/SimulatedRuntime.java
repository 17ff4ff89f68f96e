package dev.keelson.nodeagent.runtime.simulated;

import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.ExecResult;
import dev.keelson.nodeagent.runtime.LogOptions;
import dev.keelson.nodeagent.runtime.PortMapping;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.RuntimeContainer.State;
import dev.keelson.nodeagent.runtime.SandboxSpec;
import dev.keelson.nodeagent.runtime.ServiceRoute;
import dev.keelson.nodeagent.runtime.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link ContainerRuntime} in memory, for scale tests: no process runs, so one host can play many
 * nodes. It keeps Docker's semantics where the agent can see them (unique names, a stop answers
 * 143, a sandbox exits 0, a restart keeps the log, a gone container is no error to stop or remove)
 * and adds three levers for tests:
 *
 * <ul>
 *   <li>an image whose name contains "missing" is not present, so pods show ErrImagePull;
 *   <li>a container whose command or args hold the word {@code exit=N} (e.g. args {@code
 *       ["exit=1"]}) exits with code N one start delay after it runs, so pods can crash-loop;
 *   <li>{@link #exit(String, int)} makes a container exit when a test says so.
 * </ul>
 *
 * A container is CREATED until {@code startDelay} after its start, then RUNNING: states are
 * computed from the clock when asked, no timer runs. Sandboxes run at once. Thread-safe.
 */
public final class SimulatedRuntime implements ContainerRuntime {

  private final Duration startDelay;
  private final Clock clock;
  private final Object lock = new Object();
  private final Map<String, SimulatedContainer> containers = new LinkedHashMap<>();
  private final Map<String, String> idsByName = new HashMap<>();

  /**
   * Every label pair to the ids of the containers that carry it, so a list by pod or node is no
   * scan.
   */
  private final Map<Map.Entry<String, String>, Set<String>> idsByLabel = new HashMap<>();

  private final SimulatedNetwork network = new SimulatedNetwork();
  private final SimulatedLogs logs = new SimulatedLogs();
  private long created;

  public SimulatedRuntime(Duration startDelay, Clock clock) {
    this.startDelay = startDelay;
    this.clock = clock;
  }

  @Override
  public String version() {
    return "simulated://1";
  }

  /** Every image is present but those whose name contains "missing". */
  @Override
  public boolean hasImage(String image) {
    return !image.contains("missing");
  }

  @Override
  public String runSandbox(SandboxSpec spec) {
    synchronized (lock) {
      requireImage(spec.image());
      requireFreeName(spec.name());
      List<PortMapping> ports = network.publish(spec.ports());
      SimulatedContainer sandbox =
          SimulatedContainer.sandbox(newId(spec.name()), spec, ports, network.allocateIp());
      add(sandbox);
      sandbox.start(clock.instant());
      return sandbox.id;
    }
  }

  @Override
  public String createContainer(String sandboxId, ContainerSpec spec) {
    synchronized (lock) {
      if (!containers.containsKey(sandboxId)) {
        throw new NoSuchElementException("No such container: " + sandboxId);
      }
      requireImage(spec.image());
      requireFreeName(spec.name());
      SimulatedContainer container = SimulatedContainer.of(newId(spec.name()), spec, startDelay);
      add(container);
      return container.id;
    }
  }

  @Override
  public void start(String id) {
    synchronized (lock) {
      find(id)
          .orElseThrow(() -> new NoSuchElementException("No such container: " + id))
          .start(clock.instant());
    }
  }

  /** Stops it at once: a sandbox exits 0 (it traps SIGTERM), any other container 143. */
  @Override
  public void stop(String id, Duration grace) {
    Runnable notify = () -> {};
    synchronized (lock) {
      Optional<SimulatedContainer> found = find(id);
      if (found.isPresent()) {
        notify = ended(found.get(), found.get().sandbox ? 0 : 143);
      }
    }
    notify.run();
  }

  /** Makes the started container {@code id} exit with {@code code}; one that exited stays so. */
  public void exit(String id, int code) {
    Runnable notify;
    synchronized (lock) {
      SimulatedContainer container =
          find(id).orElseThrow(() -> new NoSuchElementException("No such container: " + id));
      if (!container.everStarted()) {
        throw new IllegalStateException("container " + id + " was never started");
      }
      notify = ended(container, code);
    }
    notify.run();
  }

  /** Removes it, killed first (137) if it runs, and frees its name, pod IP and host ports. */
  @Override
  public void remove(String id) {
    Runnable notify;
    synchronized (lock) {
      Optional<SimulatedContainer> found = find(id);
      if (found.isEmpty()) {
        return;
      }
      SimulatedContainer container = found.get();
      Runnable exited = ended(container, 137);
      Runnable gone = logs.ended(container.id, null);
      notify =
          () -> {
            exited.run();
            gone.run();
          };
      containers.remove(container.id);
      idsByName.remove(container.name);
      for (Map.Entry<String, String> label : container.labels.entrySet()) {
        Set<String> ids = idsByLabel.get(label);
        ids.remove(container.id);
        if (ids.isEmpty()) {
          idsByLabel.remove(label);
        }
      }
      if (container.sandbox) {
        network.releaseIp(container.ip);
        network.unpublish(container.ports);
      }
    }
    notify.run();
  }

  /**
   * The containers that carry every one of {@code labels}, in the order they were created: the
   * candidates are those of the rarest label asked for, so listing one pod's containers costs that
   * pod, not every container of every simulated node.
   */
  @Override
  public List<RuntimeContainer> list(Map<String, String> labels) {
    synchronized (lock) {
      Collection<String> candidates = containers.keySet();
      for (Map.Entry<String, String> label : labels.entrySet()) {
        Set<String> ids = idsByLabel.getOrDefault(label, Set.of());
        if (ids.size() < candidates.size()) {
          candidates = ids;
        }
      }
      List<RuntimeContainer> found = new ArrayList<>();
      for (String id : candidates) {
        SimulatedContainer container = containers.get(id);
        if (container.labels.entrySet().containsAll(labels.entrySet())) {
          found.add(view(container));
        }
      }
      return found;
    }
  }

  @Override
  public Optional<RuntimeContainer> inspect(String id) {
    synchronized (lock) {
      return find(id).map(this::view);
    }
  }

  /** Every command succeeds at once with no output, as long as the container runs. */
  @Override
  public ExecResult exec(String id, List<String> command, Duration timeout) {
    synchronized (lock) {
      SimulatedContainer container =
          find(id).orElseThrow(() -> new NoSuchElementException("No such container: " + id));
      if (container.state(clock.instant()) != State.RUNNING) {
        throw new IllegalStateException("Container " + id + " is not running");
      }
      return new ExecResult(0, "");
    }
  }

  /**
   * The container's synthetic log, delivered on the calling thread before this returns. With {@code
   * follow}, the answer stays open (unless the container has exited) until it is closed or the
   * container is stopped, exits when told, or is removed here.
   */
  @Override
  public AutoCloseable logs(
      String id, LogOptions options, Consumer<byte[]> sink, Consumer<Throwable> end) {
    SimulatedLogs.Reader reader;
    synchronized (lock) {
      Optional<SimulatedContainer> found = find(id);
      if (found.isPresent()) {
        SimulatedContainer container = found.get();
        boolean follow = options.follow() && container.state(clock.instant()) != State.EXITED;
        reader =
            logs.open(
                container.id, container.logLines(clock.instant()), options, sink, end, follow);
      } else {
        reader = null;
      }
    }
    if (reader == null) {
      end.accept(new NoSuchElementException("No such container: " + id));
      return () -> {};
    }
    return reader.begin();
  }

  /** Synthetic but steady use, derived from the id: 1 to 50 millicores, 4 to 64 MiB. */
  /** Simulated pods have no network namespace to route in. */
  @Override
  public void routeServices(String sandboxId, List<ServiceRoute> routes) {}

  @Override
  public Optional<Usage> usage(String id) {
    synchronized (lock) {
      return find(id)
          .filter(c -> c.state(clock.instant()) == State.RUNNING)
          .map(c -> c.usage(clock.instant()));
    }
  }

  @Override
  public void close() {
    Runnable notify;
    synchronized (lock) {
      notify = logs.closeAll();
    }
    notify.run();
  }

  /**
   * Ends the container's run if it starts or runs; answers what gives the followers of its log the
   * exit line and ends them, to run after the lock. A container never started has no exit line.
   */
  private Runnable ended(SimulatedContainer container, int code) {
    Instant now = clock.instant();
    container.end(now, code);
    return container.state(now) == State.EXITED
        ? logs.ended(container.id, container.exitLine(now))
        : () -> {};
  }

  private void requireImage(String image) {
    if (!hasImage(image)) {
      throw new NoSuchElementException("No such image: " + image);
    }
  }

  private void requireFreeName(String name) {
    if (idsByName.containsKey(name)) {
      throw new IllegalStateException("The container name \"/" + name + "\" is already in use");
    }
  }

  private void add(SimulatedContainer container) {
    containers.put(container.id, container);
    idsByName.put(container.name, container.id);
    for (Map.Entry<String, String> label : container.labels.entrySet()) {
      idsByLabel
          .computeIfAbsent(Map.entry(label.getKey(), label.getValue()), l -> new LinkedHashSet<>())
          .add(container.id);
    }
  }

  /** By id or by name, as Docker finds a container. */
  private Optional<SimulatedContainer> find(String idOrName) {
    SimulatedContainer byId = containers.get(idOrName);
    return byId != null
        ? Optional.of(byId)
        : Optional.ofNullable(idsByName.get(idOrName)).map(containers::get);
  }

  private RuntimeContainer view(SimulatedContainer container) {
    return container.view(clock.instant());
  }

  /** A Docker-shaped id: 64 hex digits, unique because of the sequence number. */
  private String newId(String name) {
    return SimulatedContainer.sha256(++created + "/" + name);
  }
}
