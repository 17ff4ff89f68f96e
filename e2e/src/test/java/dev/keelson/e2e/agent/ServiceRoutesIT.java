package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.api.ProxyPorts;
import dev.keelson.nodeagent.agent.AgentProcess;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod reaches Services at their cluster IPs, loopback addresses that inside the pod are its own:
 * the agent routes them, in the pod's network namespace alone, to the node's proxy on the Docker
 * bridge's gateway. The proxy is stood in for by the test: one plain HTTP listener per Service port
 * on the gateway, at the proxy port the Service's annotation names. A Service made before the pod
 * is reachable from the container's first instruction, one made after it once the agent has seen
 * it, and one deleted no more; the container's environment tells of the Services that were there
 * when it started.
 */
@Timeout(180)
class ServiceRoutesIT {

  private static final Path HOST_ROUTE_LOCALNET =
      Path.of("/proc/sys/net/ipv4/conf/all/route_localnet");

  @TempDir static Path dir;
  static Cluster cluster;
  static AgentProcess agent;
  static String node;
  static String gateway;
  static String hostRouteLocalnet;
  static Listener early;
  static Listener late;

  @BeforeAll
  static void start() throws Exception {
    Engine.require();
    gateway = dockerBridgeGateway();
    hostRouteLocalnet = Files.readString(HOST_ROUTE_LOCALNET);
    cluster = Cluster.start(dir);
    node = Cluster.uniqueNode("svc");
    agent = cluster.agent(node, s -> s);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.removePods(node);
      cluster.close();
    }
    if (early != null) {
      early.close();
    }
    if (late != null) {
      late.close();
    }
  }

  @Test
  void aPodReachesServicesMadeBeforeAndAfterItThroughTheProxyOnTheGateway() throws Exception {
    early =
        Listener.open(gateway, service("svc-early", "127.64.250.1", 80), "from the early service");
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: client}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: keelson/busybox:1
            command:
            - sh
            - -c
            - >-
              env > /env; echo done >> /env;
              timeout 5 wget -qO- http://127.64.250.1/ > /first 2>&1; echo done >> /first;
              sleep 3600
            env:
            - {name: SVC_EARLY_PORT, value: mine}
        """
            .formatted(node));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "Running".equals(Pods.phase(cluster.client, "client")));

    // Routed before the container started: its first instruction reached the Service.
    assertThat(written("/first")).isEqualTo("from the early service\ndone\n");
    assertThat(get("127.64.250.1", 80)).isEqualTo("from the early service");

    Map<String, String> env = Pods.environment(written("/env"));
    assertThat(env)
        .containsEntry("SVC_EARLY_SERVICE_HOST", "127.64.250.1")
        .containsEntry("SVC_EARLY_SERVICE_PORT", "80")
        .containsEntry("SVC_EARLY_SERVICE_PORT_HTTP", "80")
        .containsEntry("SVC_EARLY_PORT_80_TCP", "tcp://127.64.250.1:80")
        .containsEntry("SVC_EARLY_PORT_80_TCP_ADDR", "127.64.250.1")
        .containsEntry("SVC_EARLY_PORT", "mine") // the container's own variable wins
        .doesNotContainKey("SVC_LATE_SERVICE_HOST");

    late =
        Listener.open(gateway, service("svc-late", "127.64.250.2", 8080), "from the late service");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("127.64.250.2", 8080), "from the late service"::equals);
    assertThat(get("127.64.250.1", 80)).isEqualTo("from the early service");

    cluster.client.services().inNamespace("default").withName("svc-late").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> get("127.64.250.2", 8080).isEmpty());
    assertThat(get("127.64.250.1", 80)).isEqualTo("from the early service");

    // The host's own namespace is left as it was.
    assertThat(Files.readString(HOST_ROUTE_LOCALNET)).isEqualTo(hostRouteLocalnet);
    assertThat(early.served() + late.served()).isGreaterThanOrEqualTo(4);
  }

  /** What an HTTP GET from inside the pod answers, or "" when nothing answers. */
  private static String get(String clusterIp, int port) {
    return Pods.exec(
            agent.runtime(),
            node,
            "client",
            "app",
            "timeout",
            "5",
            "wget",
            "-qO-",
            "http://" + clusterIp + ":" + port + "/")
        .strip()
        .replaceFirst("^wget: .*", "");
  }

  /** A file the container wrote, once it ends with "done". */
  private static String written(String path) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> Pods.exec(agent.runtime(), node, "client", "app", "cat", path),
            text -> text.endsWith("done\n"));
  }

  /**
   * A Service with a cluster IP and one port, created through the API: the allocator gives the port
   * its proxy port (whatever a request says), which is returned, for the test's stand-in proxy.
   */
  private static int service(String name, String clusterIp, int port) {
    Service service =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withClusterIP(clusterIp)
            .addNewPort()
            .withName("http")
            .withPort(port)
            .withProtocol("TCP")
            .endPort()
            .endSpec()
            .build();
    Service created = cluster.client.services().inNamespace("default").resource(service).create();
    List<ProxyPorts.Entry> proxyPorts =
        ProxyPorts.parse(created.getMetadata().getAnnotations().get(ProxyPorts.ANNOTATION));
    assertThat(proxyPorts).hasSize(1);
    return proxyPorts.get(0).proxyPort();
  }

  /** The address of Docker's default bridge on the host: where pods' Service traffic goes. */
  private static String dockerBridgeGateway() throws IOException {
    NetworkInterface bridge = NetworkInterface.getByName("docker0");
    assertThat(bridge).as("Docker's default bridge docker0").isNotNull();
    for (InetAddress address : Collections.list(bridge.getInetAddresses())) {
      if (address instanceof Inet4Address) {
        return address.getHostAddress();
      }
    }
    throw new AssertionError("docker0 has no IPv4 address");
  }

  /** Stands in for the node's proxy at one proxy port: answers every GET with its text. */
  static final class Listener implements AutoCloseable {
    private final ServerSocket socket;
    private final String text;
    private final Thread thread;
    private volatile int served;

    private Listener(ServerSocket socket, String text) {
      this.socket = socket;
      this.text = text;
      this.thread = new Thread(this::serve, "proxy-stand-in-" + socket.getLocalPort());
      thread.setDaemon(true);
      thread.start();
    }

    static Listener open(String address, int port, String text) throws IOException {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port));
      return new Listener(socket, text);
    }

    int port() {
      return socket.getLocalPort();
    }

    int served() {
      return served;
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket connection = socket.accept()) {
          connection.setSoTimeout(5_000);
          BufferedReader request =
              new BufferedReader(
                  new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
          for (String line = request.readLine();
              line != null && !line.isEmpty();
              line = request.readLine()) {
            // the request's head, up to its empty line
          }
          byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
          OutputStream out = connection.getOutputStream();
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                      + body.length
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.flush();
          served++;
        } catch (IOException e) {
          // closed, or a client that went away
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
