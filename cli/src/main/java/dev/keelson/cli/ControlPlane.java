package dev.keelson.cli;

import dev.keelson.broker.EmbeddedKafka;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
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

  record Config(Path dataDir, String kafka, Listen kafkaListen, Listen healthListen) {}

  private final Config config;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private String bootstrapServers;
  private LogProjection projection;
  private HealthVerticle health;
  private long replayMillis;

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
    long end = log.endOffset().get(30, TimeUnit.SECONDS);
    projection.awaitRevision(end).get(10, TimeUnit.MINUTES);
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
    LOG.info("control plane started at revision {}", projection.revision());
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
        + "  health          "
        + healthBase
        + "/healthz  "
        + healthBase
        + "/readyz\n"
        + "  revision        "
        + projection.revision()
        + " (log replayed in "
        + replayMillis
        + " ms)\n"
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
