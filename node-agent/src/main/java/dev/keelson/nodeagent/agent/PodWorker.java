package dev.keelson.nodeagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.nodeagent.pod.ContainerView;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.pod.PodPlan;
import dev.keelson.nodeagent.pod.PodStatuses;
import dev.keelson.nodeagent.pod.RestartBackoff;
import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.Mount;
import dev.keelson.nodeagent.runtime.PortMapping;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.volume.PodVolumes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one pod run, level-triggered: every sync compares what the runtime runs for the pod with
 * what the pod asks for, takes the next step (the sandbox, then the init containers in order, then
 * the containers; restarts under the restart policy and its back-off; probes), and writes the pod's
 * status when it changed. Syncs of one pod never overlap; they run when the pod changes, when a
 * back-off ends, and every sync period.
 */
final class PodWorker {

  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);

  /** The label that numbers the instances of one container: upstream's restart count. */
  static final String ATTEMPT = "keelson.dev/attempt";

  /** The pod annotation that says where the pod's container ports are published on the node. */
  public static final String HOST_PORTS = "keelson.dev/host-ports";

  private final PodContext context;
  private final String uid;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final Map<String, Failure> failures = new HashMap<>();
  private final Map<String, Instant> restartAt = new HashMap<>();
  private final Set<String> started = new HashSet<>();
  private final ContainerProbes probes;
  private final SandboxRoutes routes = new SandboxRoutes();
  private volatile JsonNode pod;
  private volatile boolean gone;
  private volatile boolean finished;
  private ObjectNode written;
  private String published;
  private ScheduledFuture<?> next;

  /**
   * Why a container cannot start now, when that was found ({@code at}), and until when the agent
   * waits before it tries again.
   */
  private record Failure(String reason, String message, Instant at, Instant retryAt) {}

  PodWorker(PodContext context, JsonNode pod) {
    this.context = context;
    this.uid = pod.path("metadata").path("uid").asText();
    this.pod = pod;
    this.probes = new ContainerProbes(context.prober(), context.clock());
  }

  String uid() {
    return uid;
  }

  /** The pod as the API had it last. */
  JsonNode pod() {
    return pod;
  }

  /** The pod as the API has it now. */
  void update(JsonNode pod) {
    this.pod = pod;
    kick();
  }

  /** The pod object is gone from the API: stop what runs for it. */
  void gone() {
    gone = true;
    kick();
  }

  /** Whether the pod is gone and nothing runs for it any more. */
  boolean finished() {
    return finished;
  }

  /** Asks for a sync soon; syncs of this pod run one at a time. */
  void kick() {
    if (pending.getAndSet(true)) {
      return;
    }
    if (running.compareAndSet(false, true)) {
      context.workers().execute(this::drain);
    }
  }

  private void drain() {
    try {
      while (pending.getAndSet(false)) {
        try {
          sync();
        } catch (RuntimeException e) {
          LOG.warn("sync of pod {} failed; retrying", describe(), e);
          later(Duration.ofSeconds(1));
        }
      }
    } finally {
      running.set(false);
      if (pending.get() && running.compareAndSet(false, true)) {
        context.workers().execute(this::drain);
      }
    }
  }

  /**
   * Asks for a sync within {@code delay}. A sooner one already asked for stays: a container's long
   * back-off must not hold back the periodic sync that probes the pod's other containers.
   */
  private synchronized void later(Duration delay) {
    if (finished) {
      return;
    }
    long millis = Math.max(1, delay.toMillis());
    // A sync already asked for within the delay stays. One whose time has come is not counted:
    // the timer may still be running it (it is not done yet) while this sync, which it started,
    // asks for the next one, and keeping it would leave the pod with no next sync at all.
    long pendingIn = next == null || next.isDone() ? -1 : next.getDelay(TimeUnit.MILLISECONDS);
    if (pendingIn > 0 && pendingIn <= millis) {
      return;
    }
    if (next != null) {
      next.cancel(false);
    }
    try {
      next = context.timer().schedule(this::kick, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The agent is closing: its containers keep running, and the next agent takes them over.
    }
  }

  private void sync() {
    JsonNode pod = this.pod;
    List<RuntimeContainer> instances =
        new ArrayList<>(context.runtime().list(Map.of(PodContainers.POD_UID, uid)));
    instances.sort(NEWEST_FIRST);
    List<String> ids = instances.stream().map(RuntimeContainer::id).toList();
    restartAt.keySet().retainAll(ids);
    started.retainAll(ids);
    if (gone || pod.path("metadata").hasNonNull("deletionTimestamp")) {
      terminate(pod, instances);
      return;
    }
    later(context.syncPeriod());
    String writtenPhase = (written != null ? written : pod.path("status")).path("phase").asText("");
    if (writtenPhase.equals("Succeeded") || writtenPhase.equals("Failed")) {
      sandbox(instances).filter(this::runs).ifPresent(s -> context.runtime().stop(s.id(), ZERO));
      return;
    }
    Optional<RuntimeContainer> sandbox = sandbox(instances).filter(this::runs);
    if (sandbox.isEmpty()) {
      sandbox = startSandbox(pod, instances);
      if (sandbox.isEmpty()) {
        return;
      }
      instances = new ArrayList<>(context.runtime().list(Map.of(PodContainers.POD_UID, uid)));
      instances.sort(NEWEST_FIRST);
    }
    String podIp = sandbox.get().ip();
    routes.ensure(context, pod, sandbox.get());
    publishPorts(pod, sandbox.get());
    Setup setup = setup(pod, podIp);
    List<ContainerView> inits = new ArrayList<>();
    boolean initialized = true;
    for (JsonNode spec : pod.path("spec").path("initContainers")) {
      ContainerView view = step(pod, spec, setup, instances, initialized, true, sandbox.get());
      inits.add(view);
      initialized &= view.current() != null && succeeded(view.current());
    }
    List<ContainerView> views = new ArrayList<>();
    for (JsonNode spec : pod.path("spec").path("containers")) {
      views.add(
          initialized
              ? step(pod, spec, setup, instances, true, false, sandbox.get())
              : waiting(spec, instances, "PodInitializing", null));
    }
    ObjectNode status =
        PodStatuses.status(
            pod,
            inits,
            views,
            podIp,
            context.hostIp(),
            context.runtimeScheme(),
            context.clock().instant());
    String phase = status.path("phase").asText();
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      context.runtime().stop(sandbox.get().id(), ZERO);
    }
    write(pod, status);
  }

  /**
   * Says on the pod where its ports were published (a dynamic host port is known only once the
   * sandbox runs): the annotation {@value #HOST_PORTS}, a JSON list of containerPort, protocol,
   * hostIP and hostPort, which is what Services route to.
   */
  private void publishPorts(JsonNode pod, RuntimeContainer sandbox) {
    if (sandbox.ports().isEmpty()) {
      return;
    }
    ArrayNode ports = Json.mapper().createArrayNode();
    sandbox.ports().stream()
        .sorted(Comparator.comparingInt(PortMapping::containerPort))
        .forEach(
            p ->
                ports
                    .addObject()
                    .put("containerPort", p.containerPort())
                    .put("protocol", p.protocol().toUpperCase(java.util.Locale.ROOT))
                    .put(
                        "hostIP",
                        p.hostIp() == null || p.hostIp().isEmpty() ? context.hostIp() : p.hostIp())
                    .put("hostPort", p.hostPort()));
    String value = ports.toString();
    if (value.equals(published)
        || value.equals(pod.path("metadata").path("annotations").path(HOST_PORTS).asText(null))) {
      published = value;
      return;
    }
    JsonNode metadata = pod.path("metadata");
    context
        .api()
        .annotate(
            metadata.path("namespace").asText(), metadata.path("name").asText(), HOST_PORTS, value);
    published = value;
  }

  /** The plan of the pod's containers and their mounts, or why they cannot be made. */
  private record Setup(PodPlan plan, Map<String, List<Mount>> mounts, String error) {}

  private Setup setup(JsonNode pod, String podIp) {
    try {
      PodPlan plan =
          PodContainers.plan(
              pod, context.sandboxImage(), context.hostIp(), podIp, context.config());
      Map<String, List<Mount>> mounts = PodVolumes.prepare(pod, podDir(), context.config());
      return new Setup(plan, mounts, null);
    } catch (IllegalArgumentException e) {
      return new Setup(null, Map.of(), e.getMessage());
    }
  }

  private Optional<RuntimeContainer> startSandbox(JsonNode pod, List<RuntimeContainer> instances) {
    // A sandbox that stopped takes the pod's network with it: everything starts again.
    for (RuntimeContainer instance : instances) {
      context.runtime().remove(instance.id());
    }
    Failure failure = failures.get(PodContainers.SANDBOX);
    Instant now = context.clock().instant();
    if (failure != null && now.isBefore(failure.retryAt())) {
      writeWaiting(pod, failure.reason(), failure.message());
      later(Duration.between(now, failure.retryAt()));
      return Optional.empty();
    }
    try {
      String id =
          context
              .runtime()
              .runSandbox(PodContainers.sandbox(pod, context.sandboxImage(), context.hostIp()));
      failures.remove(PodContainers.SANDBOX);
      return context.runtime().inspect(id);
    } catch (RuntimeException e) {
      for (RuntimeContainer left : context.runtime().list(Map.of(PodContainers.POD_UID, uid))) {
        context.runtime().remove(left.id());
      }
      Instant retry = context.restarts().stopped(key(PodContainers.SANDBOX), now, now);
      Failure sandboxFailure =
          new Failure(
              "CreatePodSandboxError",
              "Failed to create pod sandbox: " + RuntimeMessages.of(e),
              now,
              retry.isAfter(now) ? retry : now.plus(context.syncPeriod()));
      failures.put(PodContainers.SANDBOX, sandboxFailure);
      writeWaiting(pod, sandboxFailure.reason(), sandboxFailure.message());
      return Optional.empty();
    }
  }

  /** One step for one container: start it, probe it, or restart it as its policy says. */
  private ContainerView step(
      JsonNode pod,
      JsonNode spec,
      Setup setup,
      List<RuntimeContainer> instances,
      boolean mayStart,
      boolean init,
      RuntimeContainer sandbox) {
    String name = spec.path("name").asText();
    List<RuntimeContainer> mine = instancesOf(instances, name);
    RuntimeContainer current = mine.isEmpty() ? null : mine.get(0);
    RuntimeContainer previous = mine.size() > 1 ? mine.get(1) : null;
    int attempt = current == null ? 0 : attempt(current);
    Instant now = context.clock().instant();
    Failure failure = failures.get(name);
    if (current != null && current.state() == RuntimeContainer.State.RUNNING) {
      failures.remove(name);
      return probes.observe(spec, current, previous, attempt, pod, sandbox.ip(), context.runtime());
    }
    if (current != null && current.state() == RuntimeContainer.State.CREATED) {
      if (started.contains(current.id())) {
        // Started, and the runtime is still bringing it up: look again shortly, start nothing.
        later(STARTING);
        return view(spec, current, previous, attempt, null, null);
      }
      return start(spec, current, previous, attempt);
    }
    if (current != null && !restarts(pod, current, init)) {
      return view(spec, current, previous, attempt, null, null);
    }
    if (!mayStart) {
      return view(spec, current, previous, attempt, null, null);
    }
    if (failure != null && now.isBefore(failure.retryAt())) {
      String reason = failure.reason();
      String message = failure.message();
      Instant wake = failure.retryAt();
      if (reason.equals("ErrImagePull")) {
        // As upstream: ErrImagePull until the pod's next periodic sync, then ImagePullBackOff
        // until the next attempt; the syncs the status write itself causes change nothing.
        Instant backOff = failure.at().plus(context.syncPeriod());
        if (now.isBefore(backOff)) {
          wake = backOff.isBefore(wake) ? backOff : wake;
        } else {
          reason = "ImagePullBackOff";
          message = "Back-off pulling image \"" + spec.path("image").asText() + "\"";
        }
      }
      later(Duration.between(now, wake));
      return view(spec, current, previous, attempt, reason, message);
    }
    if (current != null) {
      Instant at =
          restartAt.computeIfAbsent(
              current.id(),
              id ->
                  context
                      .restarts()
                      .stopped(
                          key(name),
                          current.startedAt(),
                          current.finishedAt() == null ? now : current.finishedAt()));
      if (now.isBefore(at)) {
        later(Duration.between(now, at));
        context
            .api()
            .event(
                pod,
                "Warning",
                "BackOff",
                "Back-off restarting failed container " + name + " in pod " + describe());
        return view(
            spec,
            current,
            previous,
            attempt,
            "CrashLoopBackOff",
            "back-off "
                + seconds(context.restarts().delay(key(name)))
                + " restarting failed container="
                + name
                + " pod="
                + describe());
      }
    }
    return create(pod, spec, setup, current, attempt, sandbox);
  }

  private ContainerView create(
      JsonNode pod,
      JsonNode spec,
      Setup setup,
      RuntimeContainer current,
      int attempt,
      RuntimeContainer sandbox) {
    String name = spec.path("name").asText();
    Instant now = context.clock().instant();
    int next = current == null ? 0 : attempt + 1;
    if (setup.error() != null) {
      return fail(spec, current, attempt, "CreateContainerConfigError", setup.error(), now, false);
    }
    String image = spec.path("image").asText();
    if (!context.runtime().hasImage(image)) {
      context
          .api()
          .event(
              pod,
              "Warning",
              "Failed",
              "Failed to pull image \""
                  + image
                  + "\": the image is not present on the node, and Keelson pulls from no"
                  + " registry");
      return fail(
          spec,
          current,
          attempt,
          "ErrImagePull",
          "image \""
              + image
              + "\" is not present on the node, and Keelson pulls from no registry: build it"
              + " there (see docker/)",
          now,
          true);
    }
    ContainerSpec planned = planned(setup, name);
    Map<String, String> labels = new HashMap<>(planned.labels());
    labels.put(ATTEMPT, Integer.toString(next));
    ContainerSpec instance =
        new ContainerSpec(
            planned.name() + "_" + next,
            planned.image(),
            planned.command(),
            planned.args(),
            planned.workingDir(),
            planned.env(),
            labels,
            planned.memoryBytes(),
            planned.nanoCpus(),
            setup.mounts().getOrDefault(name, List.of()));
    String id;
    try {
      id = context.runtime().createContainer(sandbox.id(), instance);
    } catch (RuntimeException e) {
      return fail(
          spec, current, attempt, "CreateContainerError", RuntimeMessages.of(e), now, false);
    }
    // Keep the instance before this one, for lastState and logs --previous; drop older ones.
    for (RuntimeContainer old :
        instancesOf(context.runtime().list(Map.of(PodContainers.POD_UID, uid)), name)) {
      if (!old.id().equals(id) && (current == null || !old.id().equals(current.id()))) {
        context.runtime().remove(old.id());
      }
    }
    RuntimeContainer created = context.runtime().inspect(id).orElseThrow();
    context
        .api()
        .event(
            pod,
            "Normal",
            "Pulled",
            "Container image \"" + image + "\" already present on machine");
    context.api().event(pod, "Normal", "Created", "Created container: " + name);
    return start(spec, created, current, next);
  }

  private ContainerView start(
      JsonNode spec, RuntimeContainer created, RuntimeContainer previous, int attempt) {
    try {
      context.runtime().start(created.id());
    } catch (RuntimeException e) {
      // The instance cannot run (a command that is not there, say). A runtime that records it
      // (Docker) has it ended without running: a crash, which the restart policy then judges, as
      // upstream's ContainerCannotRun; for this sync it waits with RunContainerError.
      Optional<RuntimeContainer> ended =
          context
              .runtime()
              .inspect(created.id())
              .filter(c -> c.state() == RuntimeContainer.State.EXITED);
      if (ended.isPresent()) {
        kick();
        // A container that will not be restarted shows how it ended; else it waits to retry.
        boolean again = !pod.path("spec").path("restartPolicy").asText("Always").equals("Never");
        return again
            ? view(spec, ended.get(), previous, attempt, "RunContainerError", RuntimeMessages.of(e))
            : view(spec, ended.get(), previous, attempt, null, null);
      }
      Instant now = context.clock().instant();
      context.runtime().remove(created.id());
      Instant retry = context.restarts().stopped(key(spec.path("name").asText()), now, now);
      failures.put(
          spec.path("name").asText(),
          new Failure("RunContainerError", RuntimeMessages.of(e), now, retry.plusSeconds(1)));
      later(Duration.ofSeconds(1));
      return view(spec, previous, null, attempt, "RunContainerError", RuntimeMessages.of(e));
    }
    started.add(created.id());
    JsonNode startedPod = pod;
    if (startedPod != null) {
      context
          .api()
          .event(
              startedPod, "Normal", "Started", "Started container " + spec.path("name").asText());
    }
    RuntimeContainer now = context.runtime().inspect(created.id()).orElse(created);
    if (now.state() == RuntimeContainer.State.CREATED) {
      later(STARTING);
    } else {
      kick(); // it runs (or ended already): its status is due now
    }
    return view(spec, now, previous, attempt, null, null);
  }

  private ContainerView fail(
      JsonNode spec,
      RuntimeContainer current,
      int attempt,
      String reason,
      String message,
      Instant now,
      boolean pull) {
    String name = spec.path("name").asText();
    RestartBackoff backoff = pull ? context.pulls() : context.restarts();
    Instant retry = backoff.stopped(key(name), now, now);
    if (!retry.isAfter(now)) {
      retry = now.plus(context.syncPeriod());
    }
    failures.put(name, new Failure(reason, message, now, retry));
    later(Duration.between(now, retry));
    return view(spec, current, null, attempt, reason, message);
  }

  private boolean restarts(JsonNode pod, RuntimeContainer exited, boolean init) {
    String policy = pod.path("spec").path("restartPolicy").asText("Always");
    if (init) {
      return !succeeded(exited) && !policy.equals("Never");
    }
    return switch (policy) {
      case "Never" -> false;
      case "OnFailure" -> !succeeded(exited);
      default -> true;
    };
  }

  private ContainerView view(
      JsonNode spec,
      RuntimeContainer current,
      RuntimeContainer previous,
      int attempt,
      String reason,
      String message) {
    return new ContainerView(
        spec.path("name").asText(),
        spec.path("image").asText(),
        current,
        previous,
        attempt,
        reason,
        message,
        false,
        false);
  }

  private ContainerView waiting(
      JsonNode spec, List<RuntimeContainer> instances, String reason, String message) {
    List<RuntimeContainer> mine = instancesOf(instances, spec.path("name").asText());
    RuntimeContainer current = mine.isEmpty() ? null : mine.get(0);
    return view(
        spec,
        current,
        mine.size() > 1 ? mine.get(1) : null,
        current == null ? 0 : attempt(current),
        reason,
        message);
  }

  /** A status where every container waits for the same reason: the sandbox could not start. */
  private void writeWaiting(JsonNode pod, String reason, String message) {
    List<ContainerView> views = new ArrayList<>();
    for (JsonNode spec : pod.path("spec").path("containers")) {
      views.add(view(spec, null, null, 0, reason, message));
    }
    List<ContainerView> inits = new ArrayList<>();
    for (JsonNode spec : pod.path("spec").path("initContainers")) {
      inits.add(view(spec, null, null, 0, reason, message));
    }
    write(
        pod,
        PodStatuses.status(
            pod,
            inits,
            views,
            "",
            context.hostIp(),
            context.runtimeScheme(),
            context.clock().instant()));
  }

  private void write(JsonNode pod, ObjectNode status) {
    if (status.equals(written) || (written == null && status.equals(pod.path("status")))) {
      return;
    }
    JsonNode metadata = pod.path("metadata");
    context
        .api()
        .writeStatus(metadata.path("namespace").asText(), metadata.path("name").asText(), status);
    written = status;
  }

  /**
   * Graceful deletion: every container gets SIGTERM and up to the grace period to stop, then
   * SIGKILL; then the sandbox and the volumes go, and the pod object is removed.
   */
  private void terminate(JsonNode pod, List<RuntimeContainer> instances) {
    JsonNode metadata = pod.path("metadata");
    long grace =
        metadata.hasNonNull("deletionGracePeriodSeconds")
            ? metadata.get("deletionGracePeriodSeconds").asLong()
            : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    List<Thread> stops = new ArrayList<>();
    for (RuntimeContainer instance : instances) {
      if (runs(instance) && !isSandbox(instance)) {
        context
            .api()
            .event(
                pod,
                "Normal",
                "Killing",
                "Stopping container " + instance.labels().get(PodContainers.CONTAINER));
        Thread stop =
            new Thread(
                () -> context.runtime().stop(instance.id(), Duration.ofSeconds(grace)),
                "stop-" + instance.name());
        stop.start();
        stops.add(stop);
      }
    }
    for (Thread stop : stops) {
      try {
        stop.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (RuntimeContainer instance : instances) {
      context.runtime().remove(instance.id());
    }
    PodVolumes.remove(podDir());
    probes.forget();
    context.restarts().forget(uid);
    context.pulls().forget(uid);
    if (!gone) {
      context
          .api()
          .remove(metadata.path("namespace").asText(), metadata.path("name").asText(), uid);
    }
    synchronized (this) {
      finished = gone;
      if (next != null) {
        next.cancel(false);
      }
    }
  }

  private Path podDir() {
    return context.podsDir().resolve(uid);
  }

  private ContainerSpec planned(Setup setup, String name) {
    for (ContainerSpec spec : setup.plan().initContainers()) {
      if (spec.labels().get(PodContainers.CONTAINER).equals(name)) {
        return spec;
      }
    }
    for (ContainerSpec spec : setup.plan().containers()) {
      if (spec.labels().get(PodContainers.CONTAINER).equals(name)) {
        return spec;
      }
    }
    throw new IllegalStateException("no container " + name + " in the plan");
  }

  private static List<RuntimeContainer> instancesOf(List<RuntimeContainer> all, String name) {
    List<RuntimeContainer> mine = new ArrayList<>();
    for (RuntimeContainer instance : all) {
      if (name.equals(instance.labels().get(PodContainers.CONTAINER))) {
        mine.add(instance);
      }
    }
    mine.sort(NEWEST_FIRST);
    return mine;
  }

  private static Optional<RuntimeContainer> sandbox(List<RuntimeContainer> instances) {
    return instances.stream().filter(PodWorker::isSandbox).findFirst();
  }

  private static boolean isSandbox(RuntimeContainer instance) {
    return PodContainers.SANDBOX.equals(instance.labels().get(PodContainers.CONTAINER));
  }

  private boolean runs(RuntimeContainer instance) {
    return instance.state() == RuntimeContainer.State.RUNNING;
  }

  private static boolean succeeded(RuntimeContainer instance) {
    return instance.state() == RuntimeContainer.State.EXITED
        && instance.exitCode() != null
        && instance.exitCode() == 0;
  }

  static int attempt(RuntimeContainer instance) {
    try {
      return Integer.parseInt(instance.labels().getOrDefault(ATTEMPT, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Newest attempt first; the sandbox's instances by their start. */
  private static final Comparator<RuntimeContainer> NEWEST_FIRST =
      Comparator.comparingInt(PodWorker::attempt)
          .thenComparing(
              c -> c.startedAt() == null ? Instant.MAX : c.startedAt(), Comparator.naturalOrder())
          .reversed();

  private String key(String container) {
    return RestartBackoff.key(uid, container);
  }

  private String describe() {
    JsonNode metadata = pod.path("metadata");
    return metadata.path("name").asText()
        + "_"
        + metadata.path("namespace").asText()
        + "("
        + uid
        + ")";
  }

  private static String seconds(Duration duration) {
    long s = duration.toSeconds();
    return s >= 60 && s % 60 == 0
        ? (s / 60) + "m0s"
        : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
  }

  private static final Duration ZERO = Duration.ZERO;

  /** How soon a container the runtime is still starting is looked at again. */
  private static final Duration STARTING = Duration.ofMillis(250);
}
