package dev.keelson.nodeagent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.NetworkSettings;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.InvocationBuilder;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.ExecResult;
import dev.keelson.nodeagent.runtime.LogOptions;
import dev.keelson.nodeagent.runtime.Mount;
import dev.keelson.nodeagent.runtime.PortMapping;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.SandboxSpec;
import dev.keelson.nodeagent.runtime.ServiceRoute;
import dev.keelson.nodeagent.runtime.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** {@link ContainerRuntime} on the local Docker engine, through docker-java. Blocking calls. */
public final class DockerRuntime implements ContainerRuntime {

  /** What a sandbox runs: wait until told to stop, and stop at once when told. */
  static final List<String> SANDBOX_COMMAND =
      List.of("/bin/sh", "-c", "trap 'exit 0' TERM INT; while true; do sleep 3600 & wait $!; done");

  private final DockerClient docker;

  private DockerRuntime(DockerClient docker) {
    this.docker = docker;
  }

  /** The engine that DOCKER_HOST names, or the local socket. */
  public static DockerRuntime connect() {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(10))
            .responseTimeout(Duration.ofMinutes(2))
            .build();
    return new DockerRuntime(DockerClientImpl.getInstance(config, http));
  }

  @Override
  public String version() {
    return "docker://" + docker.versionCmd().exec().getVersion();
  }

  @Override
  public boolean hasImage(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public String runSandbox(SandboxSpec spec) {
    Ports bindings = new Ports();
    List<ExposedPort> exposed = new ArrayList<>();
    for (PortMapping port : spec.ports()) {
      ExposedPort containerPort =
          new ExposedPort(
              port.containerPort(),
              InternetProtocol.parse(port.protocol().toLowerCase(Locale.ROOT)));
      exposed.add(containerPort);
      bindings.bind(
          containerPort,
          port.hostPort() == 0
              ? Ports.Binding.bindIp(port.hostIp())
              : Ports.Binding.bindIpAndPort(port.hostIp(), port.hostPort()));
    }
    String id =
        docker
            .createContainerCmd(spec.image())
            .withName(spec.name())
            .withLabels(spec.labels())
            .withEntrypoint(SANDBOX_COMMAND)
            .withExposedPorts(exposed)
            .withHostConfig(HostConfig.newHostConfig().withPortBindings(bindings))
            .exec()
            .getId();
    start(id);
    return id;
  }

  @Override
  public String createContainer(String sandboxId, ContainerSpec spec) {
    List<String> env = new ArrayList<>();
    spec.env().forEach((name, value) -> env.add(name + "=" + value));
    HostConfig host = HostConfig.newHostConfig().withNetworkMode("container:" + sandboxId);
    if (spec.memoryBytes() != null) {
      host.withMemory(spec.memoryBytes());
    }
    if (spec.nanoCpus() != null) {
      host.withNanoCPUs(spec.nanoCpus());
    }
    if (!spec.mounts().isEmpty()) {
      List<Bind> binds = new ArrayList<>();
      for (Mount mount : spec.mounts()) {
        binds.add(
            new Bind(
                mount.hostPath(),
                new Volume(mount.containerPath()),
                mount.readOnly() ? AccessMode.ro : AccessMode.rw));
      }
      host.withBinds(binds);
    }
    CreateContainerCmd create =
        docker
            .createContainerCmd(spec.image())
            .withName(spec.name())
            .withLabels(spec.labels())
            .withEnv(env)
            .withHostConfig(host);
    if (!spec.command().isEmpty()) {
      create.withEntrypoint(spec.command());
    }
    if (!spec.args().isEmpty()) {
      create.withCmd(spec.args());
    }
    if (spec.workingDir() != null && !spec.workingDir().isEmpty()) {
      create.withWorkingDir(spec.workingDir());
    }
    return create.exec().getId();
  }

  @Override
  public void start(String id) {
    try {
      docker.startContainerCmd(id).exec();
    } catch (NotModifiedException e) {
      // already running
    }
  }

  @Override
  public void stop(String id, Duration grace) {
    try {
      docker.stopContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
    } catch (NotModifiedException | NotFoundException e) {
      // already stopped, or gone
    }
  }

  @Override
  public void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException e) {
      // gone already
    }
  }

  @Override
  public List<RuntimeContainer> list(Map<String, String> labels) {
    List<RuntimeContainer> found = new ArrayList<>();
    for (Container container :
        docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()) {
      inspect(container.getId()).ifPresent(found::add);
    }
    return found;
  }

  @Override
  public Optional<RuntimeContainer> inspect(String id) {
    InspectContainerResponse response;
    try {
      response = docker.inspectContainerCmd(id).exec();
    } catch (NotFoundException e) {
      return Optional.empty();
    }
    InspectContainerResponse.ContainerState state = response.getState();
    RuntimeContainer.State summary =
        switch (String.valueOf(state.getStatus())) {
          case "created" -> RuntimeContainer.State.CREATED;
          case "running", "paused", "restarting" -> RuntimeContainer.State.RUNNING;
          case "exited", "dead" -> RuntimeContainer.State.EXITED;
          default -> RuntimeContainer.State.UNKNOWN;
        };
    Long exit = state.getExitCodeLong();
    // A start that failed (a command not in the image) leaves it "created", with an exit code
    // and the engine's error: it ended without running, as upstream reports it.
    String error = state.getError() == null || state.getError().isBlank() ? null : state.getError();
    if (summary == RuntimeContainer.State.CREATED && error != null && exit != null && exit != 0) {
      summary = RuntimeContainer.State.EXITED;
    }
    return Optional.of(
        new RuntimeContainer(
            response.getId(),
            response.getName() == null ? "" : response.getName().replaceFirst("^/", ""),
            response.getConfig().getImage(),
            response.getImageId(),
            response.getConfig().getLabels() == null
                ? Map.of()
                : Map.copyOf(response.getConfig().getLabels()),
            summary,
            summary == RuntimeContainer.State.EXITED && exit != null ? exit.intValue() : null,
            instant(state.getStartedAt()),
            instant(state.getFinishedAt()),
            published(response),
            response.getNetworkSettings() == null
                    || response.getNetworkSettings().getIpAddress() == null
                ? ""
                : response.getNetworkSettings().getIpAddress(),
            error));
  }

  @Override
  public ExecResult exec(String id, List<String> command, Duration timeout) {
    String exec =
        docker
            .execCreateCmd(id)
            .withCmd(command.toArray(String[]::new))
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    Output output = new Output(EXEC_OUTPUT_LIMIT);
    try (ResultCallback.Adapter<Frame> callback =
        docker.execStartCmd(exec).exec(new FrameCallback(output))) {
      if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return new ExecResult(null, output.text());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ExecResult(null, output.text());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Long exit = docker.inspectExecCmd(exec).exec().getExitCodeLong();
    return new ExecResult(exit == null ? null : exit.intValue(), output.text());
  }

  @Override
  public AutoCloseable logs(
      String id, LogOptions options, Consumer<byte[]> sink, Consumer<Throwable> end) {
    LogContainerCmd command =
        docker
            .logContainerCmd(id)
            .withStdOut(true)
            .withStdErr(true)
            .withFollowStream(options.follow())
            .withTimestamps(options.timestamps());
    if (options.tailLines() != null) {
      command.withTail(options.tailLines());
    }
    if (options.since() != null) {
      command.withSince((int) options.since().getEpochSecond());
    }
    return command.exec(
        new ResultCallback.Adapter<Frame>() {
          @Override
          public void onNext(Frame frame) {
            sink.accept(frame.getPayload());
          }

          @Override
          public void onError(Throwable failure) {
            end.accept(failure);
          }

          @Override
          public void onComplete() {
            end.accept(null);
          }
        });
  }

  @Override
  public void routeServices(String sandboxId, List<ServiceRoute> routes) {
    InspectContainerResponse sandbox = docker.inspectContainerCmd(sandboxId).exec();
    Long pid = sandbox.getState().getPidLong();
    if (pid == null || pid <= 0) {
      throw new IllegalStateException("the sandbox does not run");
    }
    NetworkNamespace.run(
        pid, PodNetworkRules.SCRIPT, PodNetworkRules.restoreInput(routes, gateway(sandbox)));
  }

  /**
   * The gateway of the sandbox's network, which is where the node's proxy listens for pods: the
   * bridge's own address on the host (docker0's, 172.17.0.1 by default).
   */
  private static String gateway(InspectContainerResponse sandbox) {
    NetworkSettings settings = sandbox.getNetworkSettings();
    if (settings == null) {
      return null;
    }
    if (settings.getNetworks() != null) {
      for (ContainerNetwork network : settings.getNetworks().values()) {
        if (network.getGateway() != null && !network.getGateway().isEmpty()) {
          return network.getGateway();
        }
      }
    }
    return settings.getGateway();
  }

  @Override
  public Optional<Usage> usage(String id) {
    Statistics stats;
    try (InvocationBuilder.AsyncResultCallback<Statistics> callback =
        new InvocationBuilder.AsyncResultCallback<>()) {
      docker.statsCmd(id).withNoStream(true).exec(callback);
      stats = callback.awaitResult();
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (stats == null || stats.getCpuStats() == null || stats.getMemoryStats() == null) {
      return Optional.empty();
    }
    Long memory = stats.getMemoryStats().getUsage();
    Long total =
        stats.getCpuStats().getCpuUsage() == null
            ? null
            : stats.getCpuStats().getCpuUsage().getTotalUsage();
    return Optional.of(
        new Usage(
            cpuNanoCores(stats),
            memory == null ? 0 : memory,
            total == null ? 0 : total,
            readAt(stats.getRead())));
  }

  /** When the engine took the sample; now when it does not say. */
  private static Instant readAt(String read) {
    try {
      return read == null ? Instant.now() : Instant.parse(read);
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.now();
    }
  }

  /** CPU use between the two samples of one stats answer, in billionths of a core. */
  private static long cpuNanoCores(Statistics stats) {
    CpuStatsConfig now = stats.getCpuStats();
    CpuStatsConfig before = stats.getPreCpuStats();
    if (now.getCpuUsage() == null
        || before == null
        || before.getCpuUsage() == null
        || now.getSystemCpuUsage() == null
        || before.getSystemCpuUsage() == null) {
      return 0;
    }
    long used = now.getCpuUsage().getTotalUsage() - before.getCpuUsage().getTotalUsage();
    long system = now.getSystemCpuUsage() - before.getSystemCpuUsage();
    long cpus = now.getOnlineCpus() == null ? 1 : now.getOnlineCpus();
    return system <= 0 ? 0 : (long) ((double) used / system * cpus * 1_000_000_000L);
  }

  private static final int EXEC_OUTPUT_LIMIT = 10 * 1024;

  /** Output kept up to a limit, as upstream keeps the first 10 KiB of a probe's output. */
  private static final class Output {
    private final StringBuilder text = new StringBuilder();
    private final int limit;

    Output(int limit) {
      this.limit = limit;
    }

    synchronized void append(byte[] bytes) {
      if (text.length() < limit) {
        String more = new String(bytes, StandardCharsets.UTF_8);
        text.append(more, 0, Math.min(more.length(), limit - text.length()));
      }
    }

    synchronized String text() {
      return text.toString();
    }
  }

  private static final class FrameCallback extends ResultCallback.Adapter<Frame> {
    private final Output output;

    FrameCallback(Output output) {
      this.output = output;
    }

    @Override
    public void onNext(Frame frame) {
      output.append(frame.getPayload());
    }
  }

  private static List<PortMapping> published(InspectContainerResponse response) {
    List<PortMapping> ports = new ArrayList<>();
    if (response.getNetworkSettings() == null || response.getNetworkSettings().getPorts() == null) {
      return ports;
    }
    for (Map.Entry<ExposedPort, Ports.Binding[]> entry :
        response.getNetworkSettings().getPorts().getBindings().entrySet()) {
      if (entry.getValue() == null) {
        continue;
      }
      for (Ports.Binding binding : entry.getValue()) {
        if (binding.getHostPortSpec() == null) {
          continue;
        }
        ports.add(
            new PortMapping(
                entry.getKey().getPort(),
                entry.getKey().getProtocol().name(),
                binding.getHostIp(),
                Integer.parseInt(binding.getHostPortSpec())));
      }
    }
    return ports;
  }

  /** Docker's times, where "0001-01-01T00:00:00Z" means never. */
  private static Instant instant(String time) {
    if (time == null || time.startsWith("0001-")) {
      return null;
    }
    return Instant.parse(time);
  }

  @Override
  public void close() {
    try {
      docker.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
