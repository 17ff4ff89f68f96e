package dev.keelson.nodeagent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.PortMapping;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.SandboxSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
    return Optional.of(
        new RuntimeContainer(
            response.getId(),
            response.getName() == null ? "" : response.getName().replaceFirst("^/", ""),
            response.getConfig().getLabels() == null
                ? Map.of()
                : Map.copyOf(response.getConfig().getLabels()),
            summary,
            summary == RuntimeContainer.State.EXITED && exit != null ? exit.intValue() : null,
            instant(state.getStartedAt()),
            instant(state.getFinishedAt()),
            published(response)));
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
