package dev.keelson.bench.scheduler;

import dev.keelson.bench.api.KeelsonProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code keelson up --no-agent} for the scheduler benchmark, on free loopback ports: reached with a
 * fabric8 client from the kubeconfig it writes, and by a separate {@code keelson scheduler} through
 * the address of its embedded Kafka broker.
 */
final class Cluster implements AutoCloseable {

  final KeelsonProcess keelson;
  final KubernetesClient client;
  final Path dataDir;
  final String kafka;

  private Cluster(KeelsonProcess keelson, KubernetesClient client, Path dataDir, String kafka) {
    this.keelson = keelson;
    this.client = client;
    this.dataDir = dataDir;
    this.kafka = kafka;
  }

  /** {@code keelson up --no-agent} with {@code extra} flags (e.g. {@code --no-scheduler}). */
  static Cluster up(Path jar, Path dataDir, List<String> extra) throws Exception {
    String kafka = freeLoopback();
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--listen",
                freeLoopback(),
                "--kafka-listen",
                kafka,
                "--health-listen",
                freeLoopback(),
                "--no-agent"));
    arguments.addAll(extra);
    KeelsonProcess keelson = KeelsonProcess.up(jar, dataDir, arguments);
    try {
      // Lists of tens of thousands of pods take longer than fabric8's default 10 s.
      Config config =
          new ConfigBuilder(Config.fromKubeconfig(dataDir.resolve("kubeconfig").toFile()))
              .withRequestTimeout(120_000)
              .build();
      return new Cluster(
          keelson, new KubernetesClientBuilder().withConfig(config).build(), dataDir, kafka);
    } catch (RuntimeException e) {
      keelson.close();
      throw e;
    }
  }

  /** Creates the namespace unless it exists. */
  void namespace(String name) {
    try {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** The cluster CA's certificate, for agents. */
  Path caFile() {
    return dataDir.resolve("pki/ca.crt");
  }

  /** 127.0.0.1 and a port nothing listens on now. */
  static String freeLoopback() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    client.close();
    keelson.close();
  }
}
