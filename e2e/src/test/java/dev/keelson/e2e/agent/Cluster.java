package dev.keelson.e2e.agent;

import dev.keelson.api.change.Actor;
import dev.keelson.apiserver.http.ApiServerVerticle;
import dev.keelson.apiserver.http.BuiltInAdmission;
import dev.keelson.apiserver.security.ClusterCertificates;
import dev.keelson.apiserver.security.TokenAuthenticator;
import dev.keelson.broker.SharedKafka;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.nodeagent.agent.AgentSettings;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.docker.DockerRuntime;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.projection.ReadBarrier;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.ControlSettings;
import dev.keelson.reconcilers.ControllerManager;
import dev.keelson.reconcilers.ReconcilerGroup;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.write.WritePath;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A control plane in the test's JVM (a fresh log on the shared test broker, its projection and an
 * API server), a fabric8 client with the admin token for the test's own reads and writes, and node
 * agents started against the API exactly as {@code keelson agent} starts them.
 */
public final class Cluster implements AutoCloseable {

  public final KubernetesClient client;
  public final String server;
  public final String token;
  public final String caPem;
  private final Path dir;
  private final LogProjection projection;
  private final LogProjection leases;
  private final LogProjection metrics;
  private final WritePath writes;
  private final Vertx vertx = Vertx.vertx();
  private final List<AutoCloseable> closing = new ArrayList<>();

  private Cluster(Path dir) throws Exception {
    this.dir = dir;
    KafkaSettings settings =
        KafkaSettings.of(
            SharedKafka.bootstrapServers(),
            Topics.prefixed("t" + UUID.randomUUID().toString().substring(0, 8) + "."));
    TopicSetup.ensure(settings);
    ClusterCertificates certificates =
        ClusterCertificates.ensure(dir.resolve("pki"), List.of("127.0.0.1"));
    TokenAuthenticator tokens = TokenAuthenticator.ensure(dir.resolve("tokens.csv"));
    token = tokens.adminToken().orElseThrow();
    caPem = certificates.caCertificatePem();
    KafkaChangeLog log = KafkaChangeLog.open(settings, "apiserver");
    projection = LogProjection.start(log, ProjectionOptions.defaults());
    KafkaChangeLog heartbeats = KafkaChangeLog.openHeartbeats(settings, "apiserver");
    leases = LogProjection.start(heartbeats, ProjectionOptions.defaults().withLastWriterWins());
    closing.add(log);
    closing.add(projection);
    closing.add(heartbeats);
    closing.add(leases);
    KafkaChangeLog metricsLog = KafkaChangeLog.openMetrics(settings, "apiserver");
    metrics = LogProjection.start(metricsLog, ProjectionOptions.defaults().withLastWriterWins());
    closing.add(metricsLog);
    closing.add(metrics);
    writes = new WritePath(log, projection, Clock.systemUTC());
    ApiServerVerticle.ensureNamespaces(writes).get(30, TimeUnit.SECONDS);
    ApiServerVerticle api =
        new ApiServerVerticle(
                "127.0.0.1",
                0,
                certificates,
                tokens,
                projection,
                new ReadBarrier(log, projection),
                writes)
            .withNodeLeases(
                leases,
                new ReadBarrier(heartbeats, leases),
                new WritePath(heartbeats, leases, Clock.systemUTC()))
            .withMetrics(
                metrics,
                new ReadBarrier(metricsLog, metrics),
                new WritePath(metricsLog, metrics, Clock.systemUTC()));
    vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    server = "https://127.0.0.1:" + api.actualPort();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server)
            .withOauthToken(token)
            .withCaCertData(
                Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)))
            .build();
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  public static Cluster start(Path dir) throws Exception {
    return new Cluster(dir);
  }

  /**
   * A node agent on the local Docker engine, named uniquely so agents of other tests keep apart.
   */
  public AgentProcess agent(String node, UnaryOperator<AgentSettings> tuning) throws Exception {
    return agent(node, 0, tuning);
  }

  public AgentProcess agent(String node, int simulate, UnaryOperator<AgentSettings> tuning)
      throws Exception {
    return agent(node, simulate, null, null, null, Map.of(), tuning);
  }

  /**
   * Node agents with the given capacity (null: the host's, or the simulated default) and node
   * labels; {@code simulate} 0 for one node on Docker, else that many simulated nodes.
   */
  public AgentProcess agent(
      String node,
      int simulate,
      Long cpuMillis,
      Long memoryBytes,
      Integer maxPods,
      Map<String, String> labels,
      UnaryOperator<AgentSettings> tuning)
      throws Exception {
    AgentProcess agent =
        AgentProcess.start(
            vertx,
            new AgentProcess.Options(
                server,
                token,
                caPem,
                node,
                "127.0.0.1",
                dir.resolve("agent-" + node),
                "127.0.0.1",
                0,
                simulate,
                Duration.ofMillis(200),
                cpuMillis,
                memoryBytes,
                maxPods,
                labels,
                tuning));
    closing.add(agent);
    return agent;
  }

  /**
   * Deletes every pod of the test with a grace period of 1 s and waits until the agent of {@code
   * node} removed their containers; whatever of {@code node} is left then (of an agent that was
   * closed, say) is removed directly, so no container outlives the test.
   */
  public void removePods(String node) {
    client.pods().inNamespace("default").withGracePeriod(1).delete();
    Map<String, String> mine = Map.of(PodContainers.NODE, node);
    try (DockerRuntime docker = DockerRuntime.connect()) {
      try {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> docker.list(mine).isEmpty());
      } catch (ConditionTimeoutException e) {
        // The agent did not finish (or runs no more): what is left goes below.
      }
      docker.list(mine).forEach(c -> docker.remove(c.id()));
    }
  }

  /**
   * The controller manager and the scheduler, as {@code keelson up} runs them, with {@code tuning}
   * applied to the default settings; each is its own process's worth of reconcilers (its own leader
   * election), so a test may start two to see that only one acts.
   */
  public ReconcilerGroup controllers(UnaryOperator<ControlSettings> tuning) {
    ReconcilerGroup group = ControllerManager.controllers(context(tuning));
    group.start();
    closing.add(group);
    return group;
  }

  public ReconcilerGroup scheduler(UnaryOperator<ControlSettings> tuning) {
    ReconcilerGroup group = ControllerManager.scheduler(context(tuning));
    group.start();
    closing.add(group);
    return group;
  }

  private ControlContext context(UnaryOperator<ControlSettings> tuning) {
    ClusterWriter writer =
        new ClusterWriter(
            writes,
            BuiltInAdmission.builtIn(),
            Actor.system("controller-manager"),
            Clock.systemUTC());
    return new ControlContext(
        projection,
        leases,
        metrics,
        writer,
        tuning.apply(ControlSettings.defaults()),
        "test-" + UUID.randomUUID().toString().substring(0, 8));
  }

  public static String uniqueNode(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  @Override
  public void close() throws Exception {
    client.close();
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
