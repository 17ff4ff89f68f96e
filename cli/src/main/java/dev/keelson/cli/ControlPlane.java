package dev.keelson.cli;

import dev.keelson.api.change.Actor;
import dev.keelson.apiserver.admission.ServiceAllocator;
import dev.keelson.apiserver.admission.ServiceRanges;
import dev.keelson.apiserver.http.ApiServerVerticle;
import dev.keelson.apiserver.http.BuiltInAdmission;
import dev.keelson.apiserver.security.ClusterCertificates;
import dev.keelson.apiserver.security.Kubeconfig;
import dev.keelson.apiserver.security.TokenAuthenticator;
import dev.keelson.broker.EmbeddedKafka;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import dev.keelson.history.ChangeHistory;
import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.projection.ReadBarrier;
import dev.keelson.proxy.ProxyProcess;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.ControlSettings;
import dev.keelson.reconcilers.ControllerManager;
import dev.keelson.reconcilers.ReconcilerGroup;
import dev.keelson.reconcilers.ReconcilersVerticle;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.write.WritePath;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code keelson up} runs, started in order and stopped in reverse: the embedded broker
 * (unless an external Kafka is given), the topics, the change log, the projection and the
 * verticles.
 */
final class ControlPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  /** How many recent metrics samples a projection keeps for watches and writers. */
  static final int METRICS_IN_MEMORY = 10_000;

  /**
   * @param agentListen where the local node agent's own port listens, or null for no agent
   * @param proxyMetricsListen where the local Service proxy serves its metrics, or null for none
   * @param podGateway where the pods of this host reach the proxy, or null for nowhere
   * @param nodeIp the local node's address, which pods' ports are published on
   * @param nodeName the local node's name, or null for the host's name
   */
  record Config(
      Path dataDir,
      String kafka,
      Listen kafkaListen,
      Listen healthListen,
      Listen apiListen,
      Listen agentListen,
      Listen proxyMetricsListen,
      String podGateway,
      String nodeIp,
      String nodeName,
      ControlSettings control,
      ServiceRanges services,
      boolean runControllers,
      boolean runScheduler) {}

  private final Config config;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private String bootstrapServers;
  private LogProjection projection;
  private HealthVerticle health;
  private ApiServerVerticle api;
  private Path kubeconfig;
  private long replayMillis;
  private long startRevision;
  private AgentProcess agent;
  private String agentProblem;
  private ProxyProcess proxy;
  private String proxyProblem;

  private ControlPlane(Config config) {
    this.config = config;
  }

  static ControlPlane start(Config config) throws Exception {
    ControlPlane plane = new ControlPlane(config);
    try {
      plane.startAll();
      return plane;
    } catch (Exception | Error e) {
      plane.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    Path dataDir = config.dataDir();
    Files.createDirectories(dataDir);
    started.push(DataDirLock.acquire(dataDir));
    if (config.kafka() == null) {
      ensureFree(config.kafkaListen(), "--kafka-listen");
      EmbeddedKafka broker =
          EmbeddedKafka.start(
              dataDir.resolve("kafka"), config.kafkaListen().host(), config.kafkaListen().port());
      started.push(broker);
      bootstrapServers = broker.bootstrapServers();
    } else {
      bootstrapServers = config.kafka();
    }
    KafkaSettings settings = KafkaSettings.of(bootstrapServers, Topics.defaults());
    TopicSetup.ensure(settings);
    KafkaChangeLog log = KafkaChangeLog.open(settings, "control-plane");
    started.push(log);
    long replayStart = System.nanoTime();
    projection =
        LogProjection.start(
            log, ProjectionOptions.defaults().withSnapshots(dataDir.resolve("snapshots")));
    started.push(projection);
    KafkaChangeLog heartbeats = KafkaChangeLog.openHeartbeats(settings, "control-plane");
    started.push(heartbeats);
    LogProjection leases =
        LogProjection.start(heartbeats, ProjectionOptions.defaults().withLastWriterWins());
    started.push(leases);
    KafkaChangeLog metricsLog = KafkaChangeLog.openMetrics(settings, "control-plane");
    started.push(metricsLog);
    // Samples churn: keep fewer of them in memory for watches than the change log's default.
    LogProjection metrics =
        LogProjection.start(
            metricsLog,
            ProjectionOptions.defaults().withLastWriterWins().withMemoryRecords(METRICS_IN_MEMORY));
    started.push(metrics);
    long end = log.endOffset().get(30, TimeUnit.SECONDS);
    projection.awaitRevision(end).get(10, TimeUnit.MINUTES);
    leases
        .awaitRevision(heartbeats.endOffset().get(30, TimeUnit.SECONDS))
        .get(10, TimeUnit.MINUTES);
    metrics
        .awaitRevision(metricsLog.endOffset().get(30, TimeUnit.SECONDS))
        .get(10, TimeUnit.MINUTES);
    replayMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - replayStart);

    Vertx vertx = Vertx.vertx();
    started.push(
        () -> vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    health = new HealthVerticle(projection, config.healthListen());
    vertx
        .deployVerticle(health)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    WritePath writes = new WritePath(log, projection, Clock.systemUTC());
    ApiServerVerticle.ensureNamespaces(writes).get(60, TimeUnit.SECONDS);
    Listen listen = config.apiListen();
    ClusterCertificates certificates =
        ClusterCertificates.ensure(dataDir.resolve("pki"), List.of(listen.host()));
    TokenAuthenticator tokens = TokenAuthenticator.ensure(dataDir.resolve("tokens.csv"));
    ReadBarrier barrier = new ReadBarrier(log, projection);
    ReadBarrier leaseBarrier = new ReadBarrier(heartbeats, leases);
    WritePath leaseWrites = new WritePath(heartbeats, leases, Clock.systemUTC());
    ReadBarrier metricsBarrier = new ReadBarrier(metricsLog, metrics);
    WritePath metricsWrites = new WritePath(metricsLog, metrics, Clock.systemUTC());
    ChangeHistory history = new ChangeHistory(log, projection);
    java.util.function.IntFunction<ApiServerVerticle> apiOnPort =
        port ->
            new ApiServerVerticle(
                    listen.host(), port, certificates, tokens, projection, barrier, writes)
                .withNodeLeases(leases, leaseBarrier, leaseWrites)
                .withMetrics(metrics, metricsBarrier, metricsWrites)
                .withHistory(history)
                .withServiceRanges(config.services());
    api = apiOnPort.apply(listen.port());
    vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    // One server per event loop, all on the port the first bound: TLS and JSON work spread over
    // the cores, and Vert.x hands each new connection to the next of them.
    int port = api.actualPort();
    for (int i = 1; i < Runtime.getRuntime().availableProcessors(); i++) {
      vertx
          .deployVerticle(apiOnPort.apply(port))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    }
    String clientHost =
        listen.host().equals("0.0.0.0") || listen.host().equals("::") ? "127.0.0.1" : listen.host();
    kubeconfig = dataDir.resolve("kubeconfig");
    Kubeconfig.write(
        kubeconfig,
        "https://" + clientHost + ":" + api.actualPort(),
        certificates.caCertificatePem(),
        TokenAuthenticator.ADMIN,
        tokens
            .adminToken()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        dataDir.resolve("tokens.csv")
                            + " has no token of a system:masters user for the kubeconfig")));
    // The revision the log was replayed to; the node agent starts writing right after.
    startRevision = projection.revision();
    LOG.info("control plane started at revision {}", startRevision);
    // The reconcilers start writing (their leader Leases first) after it, too.
    ControlContext context =
        controlContext(projection, leases, metrics, writes, config.control(), config.services());
    List<ReconcilerGroup> groups = new java.util.ArrayList<>();
    if (config.runControllers()) {
      groups.add(ControllerManager.controllers(context));
    }
    if (config.runScheduler()) {
      groups.add(ControllerManager.scheduler(context));
    }
    for (ReconcilerGroup group : groups) {
      vertx
          .deployVerticle(new ReconcilersVerticle(group))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    }
    if (config.agentListen() != null) {
      startAgent(vertx, "https://" + clientHost + ":" + api.actualPort(), tokens, certificates);
    }
    if (config.proxyMetricsListen() != null) {
      startProxy(vertx, "https://" + clientHost + ":" + api.actualPort(), tokens, certificates);
    }
  }

  /** The Service proxy of this host, as any other would run: through the API, with a token. */
  private void startProxy(
      Vertx vertx, String server, TokenAuthenticator tokens, ClusterCertificates certificates) {
    ProxyProcess.Options options =
        new ProxyProcess.Options(
            server,
            tokens.adminToken().orElseThrow(),
            certificates.caCertificatePem(),
            config.nodeIp(),
            config.podGateway(),
            config.proxyMetricsListen().host(),
            config.proxyMetricsListen().port());
    try {
      proxy = ProxyProcess.start(vertx, options);
      started.push(proxy);
    } catch (Exception e) {
      proxyProblem = CliErrors.describe(e);
      LOG.warn("no Service proxy on this host: {}", proxyProblem);
    }
  }

  /**
   * The node agent of this host, as any other agent would run: through the API, with a token.
   * Without a Docker engine, Keelson still comes up, and says why it has no node.
   */
  private void startAgent(
      Vertx vertx, String server, TokenAuthenticator tokens, ClusterCertificates certificates) {
    String name = config.nodeName();
    if (name == null) {
      try {
        name = java.net.InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
      } catch (java.net.UnknownHostException e) {
        name = "localhost";
      }
    }
    AgentProcess.Options options =
        new AgentProcess.Options(
            server,
            tokens.adminToken().orElseThrow(),
            certificates.caCertificatePem(),
            name,
            config.nodeIp(),
            config.dataDir().resolve("agent"),
            config.agentListen().host(),
            config.agentListen().port(),
            0,
            java.time.Duration.ZERO,
            null,
            null,
            null,
            java.util.Map.of(),
            null);
    try {
      agent = AgentProcess.start(vertx, options);
      started.push(agent);
    } catch (Exception e) {
      agentProblem = CliErrors.describe(e);
      LOG.warn("no node agent on this host: {}", agentProblem);
    }
  }

  /**
   * What the reconcilers of a process share. The instance name, as upstream's leader election
   * identity, is the host's name and a unique suffix.
   */
  static ControlContext controlContext(
      LogProjection projection,
      LogProjection leases,
      LogProjection metrics,
      WritePath writes,
      ControlSettings settings,
      ServiceRanges services) {
    ClusterWriter writer =
        new ClusterWriter(
            writes,
            BuiltInAdmission.builtIn(new ServiceAllocator(services, projection::claimant)),
            Actor.system(ControllerManager.CONTROLLER_MANAGER),
            Clock.systemUTC());
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return new ControlContext(
        projection, leases, metrics, writer, settings, host + "_" + java.util.UUID.randomUUID());
  }

  /** Says which address is taken and which flag changes it, before the broker logs its own. */
  private static void ensureFree(Listen listen, String flag) throws IOException {
    if (listen.port() == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(listen.host(), listen.port()));
    } catch (BindException e) {
      throw new IllegalStateException(
          "cannot listen on "
              + listen
              + " for the embedded Kafka broker: "
              + e.getMessage()
              + " (choose another address with "
              + flag
              + ", or use an external Kafka with --kafka)");
    }
  }

  private String reconcilers() {
    List<String> names = new java.util.ArrayList<>();
    if (config.runControllers()) {
      names.add("controller manager");
    }
    if (config.runScheduler()) {
      names.add("scheduler");
    }
    return names.isEmpty()
        ? "none (--no-controllers --no-scheduler)"
        : String.join(", ", names) + " (each acts while it holds its Lease in kube-system)";
  }

  String describe() {
    String kafka =
        config.kafka() == null
            ? bootstrapServers + " (embedded, data in " + config.dataDir().resolve("kafka") + ")"
            : bootstrapServers + " (external)";
    String healthBase = "http://" + config.healthListen().host() + ":" + health.actualPort();
    return "Keelson is up\n"
        + "  data directory  "
        + config.dataDir()
        + "\n"
        + "  kafka           "
        + kafka
        + "\n"
        + "  api             https://"
        + config.apiListen().host()
        + ":"
        + api.actualPort()
        + "\n"
        + "  health          "
        + healthBase
        + "/healthz  "
        + healthBase
        + "/readyz\n"
        + "  revision        "
        + startRevision
        + " (log replayed in "
        + replayMillis
        + " ms)\n"
        + "  reconcilers     "
        + reconcilers()
        + "\n"
        + "  node            "
        + (agent != null
            ? agent.nodeNames().get(0)
                + " (agent on https://"
                + config.agentListen().host()
                + ":"
                + agent.port()
                + ")"
            : config.agentListen() == null ? "none (--no-agent)" : "none: " + agentProblem)
        + "\n"
        + "  proxy           "
        + (proxy != null
            ? "metrics on http://"
                + config.proxyMetricsListen().host()
                + ":"
                + proxy.metricsPort()
                + "/metrics"
                + (config.podGateway() == null
                    ? ""
                    : ", pods reach Services through " + config.podGateway())
            : config.proxyMetricsListen() == null ? "none (--no-proxy)" : "none: " + proxyProblem)
        + "\n"
        + "  kubeconfig      export KUBECONFIG="
        + kubeconfig
        + "\n"
        + "Stop with Ctrl-C.\n";
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      AutoCloseable next = started.pop();
      try {
        next.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", next.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
