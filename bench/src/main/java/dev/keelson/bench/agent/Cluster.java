package dev.keelson.bench.agent;

import dev.keelson.bench.api.KeelsonProcess;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code keelson up} for the agent benchmark: on free loopback ports, reached with a fabric8 client
 * from the kubeconfig it writes, as kubectl users reach it.
 */
public final class Cluster implements AutoCloseable {

  public final KeelsonProcess keelson;
  public final KubernetesClient client;
  public final Path dataDir;

  private Cluster(KeelsonProcess keelson, KubernetesClient client, Path dataDir) {
    this.keelson = keelson;
    this.client = client;
    this.dataDir = dataDir;
  }

  /** {@code keelson up} with its own node agent on Docker, or with {@code --no-agent}. */
  public static Cluster up(Path jar, Path dataDir, boolean agent) throws Exception {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--listen",
                freeLoopback(),
                "--kafka-listen",
                freeLoopback(),
                "--health-listen",
                freeLoopback()));
    if (agent) {
      arguments.addAll(
          List.of("--agent-listen", freeLoopback(), "--proxy-metrics-listen", freeLoopback()));
    } else {
      arguments.add("--no-agent");
    }
    KeelsonProcess keelson = KeelsonProcess.up(jar, dataDir, arguments);
    try {
      Config config = Config.fromKubeconfig(dataDir.resolve("kubeconfig").toFile());
      return new Cluster(
          keelson, new KubernetesClientBuilder().withConfig(config).build(), dataDir);
    } catch (RuntimeException e) {
      keelson.close();
      throw e;
    }
  }

  /** The cluster CA's certificate, for agents. */
  Path caFile() {
    return dataDir.resolve("pki/ca.crt");
  }

  /** 127.0.0.1 and a port nothing listens on now. */
  public static String freeLoopback() throws IOException {
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
