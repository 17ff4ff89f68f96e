package dev.keelson.nodeagent.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the node agent asks of a container engine. A pod is a sandbox (an infra container that holds
 * the pod's network namespace and publishes its ports) and containers that join it. Every container
 * carries labels, so that an agent that restarts finds what it runs already. docker-java stays
 * behind this interface; a simulated runtime can stand in for it at scale.
 */
public interface ContainerRuntime extends AutoCloseable {

  /** The engine's name and version, for the Node's nodeInfo (e.g. {@code docker://20.10.24}). */
  String version();

  /** Whether {@code image} is present locally (no registry is ever asked). */
  boolean hasImage(String image);

  /** Creates and starts a pod's sandbox; answers its id. */
  String runSandbox(SandboxSpec spec);

  /** Creates a container in the network namespace of {@code sandboxId}; answers its id. */
  String createContainer(String sandboxId, ContainerSpec spec);

  void start(String id);

  /** Stops a container: SIGTERM, then SIGKILL after {@code grace}. */
  void stop(String id, Duration grace);

  /** Removes a container, stopping it first if it runs. Removing one that is gone is no error. */
  void remove(String id);

  /** The containers (running or not) that carry every one of {@code labels}. */
  List<RuntimeContainer> list(Map<String, String> labels);

  Optional<RuntimeContainer> inspect(String id);

  /**
   * Runs {@code command} in the running container {@code id}, as exec probes do; a command that
   * does not finish within {@code timeout} answers {@link ExecResult#timedOut()}.
   */
  ExecResult exec(String id, List<String> command, Duration timeout);

  /**
   * Streams the log of container {@code id} to {@code sink}, raw bytes as the container wrote them
   * (standard output and error interleaved), then runs {@code end} once: when the log ends (or the
   * container stops, with {@code follow}), or with the failure. Closing the answer stops a follow.
   */
  AutoCloseable logs(String id, LogOptions options, Consumer<byte[]> sink, Consumer<Throwable> end);

  /**
   * Routes, inside the network namespace of the running sandbox {@code sandboxId} and nowhere else,
   * each of {@code routes} to the node's proxy, which listens at the route's proxy port on the
   * gateway of the sandbox's network. Replaces whatever an earlier call routed there, so calling it
   * again with the same routes changes nothing. A runtime whose pods have no network of their own
   * (the simulated one) does nothing.
   *
   * @throws RuntimeException when the routes cannot be set, with why
   */
  void routeServices(String sandboxId, List<ServiceRoute> routes);

  /** What the running container {@code id} uses now, or empty when it does not run. */
  Optional<Usage> usage(String id);

  @Override
  void close();
}
