package dev.keelson.nodeagent.agent;

import dev.keelson.nodeagent.node.NodePressure;
import dev.keelson.nodeagent.node.NodeResources;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.docker.DockerRuntime;
import dev.keelson.nodeagent.runtime.simulated.SimulatedRuntime;
import dev.keelson.nodeagent.server.AgentServer;
import dev.keelson.nodeagent.server.ApiTokenReviewer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A node agent process: the API client with the agent's credentials, the runtime, the agent's own
 * HTTPS port (logs), and one node — or, with a simulated runtime, many nodes sharing one watch of
 * the pods, one runtime and one port.
 */
public final class AgentProcess implements AutoCloseable {

  /**
   * How to start.
   *
   * @param server the API's URL
   * @param token the agent's bearer token
   * @param caPem the PEM of the CA that signed the API's certificate, or null to trust any
   * @param simulate 0 for one real node on Docker, else that many simulated nodes
   * @param startDelay how long a simulated container takes to run
   * @param tuning changes the settings of every node (tests shorten periods and back-offs)
   */
  public record Options(
      String server,
      String token,
      String caPem,
      String nodeName,
      String address,
      Path dataDir,
      String listenHost,
      int listenPort,
      int simulate,
      Duration startDelay,
      Long cpuMillis,
      Long memoryBytes,
      Integer pods,
      Map<String, String> labels,
      UnaryOperator<AgentSettings> tuning) {

    /** Options as {@code keelson agent} gives them: upstream's periods and back-offs. */
    public Options {
      labels = Map.copyOf(labels);
      tuning = tuning == null ? UnaryOperator.identity() : tuning;
    }
  }

  private final Vertx vertx;
  private final KubernetesClient client;
  private final ContainerRuntime runtime;
  private final ScheduledExecutorService timer;
  private final ExecutorService workers;
  private final List<NodeAgent> agents = new ArrayList<>();
  private AgentServer server;
  private SharedIndexInformer<Pod> fleetInformer;
  private ClusterServices services;

  private AgentProcess(
      Vertx vertx, KubernetesClient client, ContainerRuntime runtime, int threads) {
    this.vertx = vertx;
    this.client = client;
    this.runtime = runtime;
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("agent-timer"));
    this.workers = Executors.newFixedThreadPool(threads, daemon("agent-worker"));
  }

  /** Starts the agent, or fails with why (no Docker engine, the API refusing the token...). */
  public static AgentProcess start(Vertx vertx, Options options) throws Exception {
    KubernetesClient client = client(options);
    ContainerRuntime runtime =
        options.simulate() > 0
            ? new SimulatedRuntime(options.startDelay(), Clock.systemUTC())
            : DockerRuntime.connect();
    // Every API call of the agent blocks its worker: a thousand simulated nodes renew a Lease and
    // publish metrics every 10 s each (about 200 calls/s before any pod), which 16 workers at
    // ~100 ms a call under load could only just carry, leaving pods waiting for a worker.
    AgentProcess process =
        new AgentProcess(vertx, client, runtime, options.simulate() > 0 ? 64 : 8);
    try {
      runtime.version(); // fails here, with the engine's error, when there is none
      process.startAll(options);
      return process;
    } catch (Exception | Error e) {
      process.close();
      throw e;
    }
  }

  private void startAll(Options options) throws Exception {
    server =
        AgentServer.start(
                vertx,
                options.listenHost(),
                options.listenPort(),
                runtime,
                new ApiTokenReviewer(vertx, client))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    services = ClusterServices.watch(client, timer, workers);
    NodeAgent.Shared shared =
        new NodeAgent.Shared(client, runtime, timer, workers, server.port(), services);
    NodeResources host = NodeResources.ofHost(options.address());
    if (options.cpuMillis() != null) {
      host = host.withCpu(options.cpuMillis());
    }
    if (options.memoryBytes() != null) {
      host = host.withMemory(options.memoryBytes());
    }
    if (options.pods() != null) {
      host = host.withPods(options.pods());
    }
    if (options.simulate() == 0) {
      AgentSettings settings =
          AgentSettings.of(options.nodeName(), host, options.dataDir())
              .withListen(options.listenHost(), server.port())
              .withLabels(options.labels());
      agents.add(NodeAgent.start(shared, options.tuning().apply(settings), true));
      return;
    }
    Map<String, NodeAgent> byName = new ConcurrentHashMap<>();
    // Simulated nodes share this host: they report no pressure rather than its pressure N times.
    NodePressure.PressureReading calm =
        new NodePressure.PressureReading(
            false,
            false,
            false,
            "simulated node has sufficient memory available",
            "simulated node has no disk pressure",
            "simulated node has sufficient PID available");
    for (int i = 0; i < options.simulate(); i++) {
      String name = options.nodeName() + "-" + i;
      AgentSettings settings =
          AgentSettings.of(name, host, options.dataDir().resolve(name))
              .withListen(options.listenHost(), server.port())
              .withLabels(simulatedLabels(options.labels()))
              .withPressure(() -> calm)
              .withPeriods(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(5));
      NodeAgent agent = NodeAgent.start(shared, options.tuning().apply(settings), false);
      agents.add(agent);
      byName.put(name, agent);
    }
    fleetInformer = client.pods().inAnyNamespace().inform(fleetHandler(byName), 0);
  }

  private static Map<String, String> simulatedLabels(Map<String, String> labels) {
    Map<String, String> all = new java.util.LinkedHashMap<>(labels);
    all.put("node.keelson.dev/simulated", "true");
    return all;
  }

  /** One watch of every pod, each handed to the simulated node it is bound to. */
  private static ResourceEventHandler<Pod> fleetHandler(Map<String, NodeAgent> byName) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        NodeAgent agent = byName.get(nodeOf(pod));
        if (agent != null) {
          agent.podChanged(pod);
        }
      }

      @Override
      public void onUpdate(Pod before, Pod pod) {
        onAdd(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        NodeAgent agent = byName.get(nodeOf(pod));
        if (agent != null) {
          agent.podGone(pod);
        }
      }
    };
  }

  private static String nodeOf(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getNodeName() == null
        ? ""
        : pod.getSpec().getNodeName();
  }

  private static KubernetesClient client(Options options) {
    ConfigBuilder config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(options.server())
            .withOauthToken(options.token())
            .withRequestTimeout(30_000)
            .withConnectionTimeout(10_000);
    if (options.caPem() == null) {
      config.withTrustCerts(true);
    } else {
      config.withCaCertData(
          java.util.Base64.getEncoder()
              .encodeToString(options.caPem().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return new KubernetesClientBuilder().withConfig(config.build()).build();
  }

  /** The nodes this process runs. */
  public List<String> nodeNames() {
    return agents.stream().map(NodeAgent::nodeName).toList();
  }

  /** Where the agent's own HTTPS port listens. */
  public int port() {
    return server == null ? 0 : server.port();
  }

  public ContainerRuntime runtime() {
    return runtime;
  }

  /** Stops the agent; the pods' containers keep running, and a new agent adopts them. */
  @Override
  public void close() {
    if (fleetInformer != null) {
      fleetInformer.close();
    }
    agents.forEach(NodeAgent::close);
    if (services != null) {
      services.close();
    }
    timer.shutdownNow();
    workers.shutdownNow();
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS);
    }
    client.close();
    runtime.close();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
