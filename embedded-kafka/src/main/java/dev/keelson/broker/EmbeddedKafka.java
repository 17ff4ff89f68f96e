package dev.keelson.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this JVM, so
 * that Keelson needs nothing installed but Java. Its data directory is formatted on first start and
 * reused on the next, with the same cluster id.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final Path dataDir;
  private final String host;
  private final int port;
  private final KafkaRaftServer server;

  private EmbeddedKafka(Path dataDir, String host, int port, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.host = host;
    this.port = port;
    this.server = server;
  }

  /**
   * Starts a broker keeping its data in {@code dataDir}, listening for clients on {@code host:port}
   * (port 0: a free port).
   */
  public static EmbeddedKafka start(Path dataDir, String host, int port) {
    try {
      Files.createDirectories(dataDir);
      int clientPort = port == 0 ? freePort(host) : port;
      int controllerPort = freePort(host);
      Properties props = properties(dataDir, host, clientPort, controllerPort);
      Path propsFile = dataDir.resolve("server.properties");
      try (OutputStream out = Files.newOutputStream(propsFile)) {
        props.store(out, "written by Keelson at every start of its embedded broker");
      }
      format(dataDir, propsFile);
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
      server.startup();
      LOG.info("embedded Kafka broker listening on {}:{}, data in {}", host, clientPort, dataDir);
      return new EmbeddedKafka(dataDir, host, clientPort, server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Kafka broker in " + dataDir, e);
    }
  }

  public String bootstrapServers() {
    return host + ":" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    LOG.info("embedded Kafka broker stopped");
  }

  private static Properties properties(Path dataDir, String host, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("logs").toAbsolutePath().toString());
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("message.max.bytes", Integer.toString(8 * 1024 * 1024));
    p.put("replica.fetch.max.bytes", Integer.toString(8 * 1024 * 1024));
    p.put("log.retention.hours", "-1");
    p.put("controlled.shutdown.enable", "true");
    return p;
  }

  private static void format(Path dataDir, Path propsFile) {
    Path clusterIdFile = dataDir.resolve("cluster.id");
    try {
      String clusterId;
      if (Files.exists(clusterIdFile)) {
        clusterId = Files.readString(clusterIdFile).trim();
      } else {
        clusterId = Uuid.randomUuid().toString();
        Files.writeString(clusterIdFile, clusterId);
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int code;
      try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        code =
            StorageTool.execute(
                new String[] {
                  "format",
                  "--config",
                  propsFile.toString(),
                  "--cluster-id",
                  clusterId,
                  "--ignore-formatted"
                },
                out);
      }
      if (code != 0) {
        throw new IllegalStateException(
            "formatting the Kafka data directory failed: "
                + output.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    }
  }
}
