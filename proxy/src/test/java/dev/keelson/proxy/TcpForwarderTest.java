package dev.keelson.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The data plane over real sockets on loopback: no broker, no Docker. */
class TcpForwarderTest {

  private static final ServicePortName WEB = new ServicePortName("default", "web", "");

  private final ProxyMetrics metrics = new ProxyMetrics();
  private final TcpForwarder forwarder = new TcpForwarder(2, metrics, Duration.ofSeconds(2));
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<ServerSocket> servers = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    forwarder.close();
    for (ServerSocket server : servers) {
      server.close();
    }
    threads.shutdownNow();
  }

  /**
   * A backend that greets each connection with its name, echoes what it reads, and answers "bye"
   * once the client has finished sending (half-close), then closes.
   */
  private Backend backend(String name) throws IOException {
    ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    servers.add(server);
    threads.submit(
        () -> {
          while (!server.isClosed()) {
            Socket socket;
            try {
              socket = server.accept();
            } catch (IOException e) {
              return;
            }
            threads.submit(
                () -> {
                  try (socket) {
                    OutputStream out = socket.getOutputStream();
                    out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                    socket.getInputStream().transferTo(out);
                    out.write("bye\n".getBytes(StandardCharsets.UTF_8));
                  } catch (IOException e) {
                    // the client went away
                  }
                });
          }
        });
    return new Backend("127.0.0.1", server.getLocalPort());
  }

  private static Frontend freeFrontend(String ip) throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
      return new Frontend(ip, probe.getLocalPort(), Frontend.Kind.CLUSTER_IP);
    }
  }

  private static ProxyTable table(Frontend frontend, List<Backend> backends) {
    return new ProxyTable(
        Map.of(frontend, WEB), Map.of(WEB, new Route(WEB, backends, Duration.ZERO)));
  }

  private static Socket connect(Frontend frontend) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(frontend.host(), frontend.port()), 2000);
    socket.setSoTimeout(5000);
    return socket;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("ended before a line");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Test
  void connectionsAreSpreadRoundRobinOverTheEndpoints() throws Exception {
    Frontend frontend = freeFrontend("127.64.200.1");
    List<Backend> backends = List.of(backend("a"), backend("b"), backend("c"));
    assertThat(forwarder.apply(table(frontend, backends)).get(5, TimeUnit.SECONDS)).isEmpty();

    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      try (Socket socket = connect(frontend)) {
        counts.merge(readLine(socket.getInputStream()), 1, Integer::sum);
      }
    }

    assertThat(counts).containsOnly(Map.entry("a", 100), Map.entry("b", 100), Map.entry("c", 100));
    await().atMost(Duration.ofSeconds(5)).until(() -> metrics.active() == 0);
    assertThat(metrics.render())
        .contains(
            "keelson_proxy_connections_total{service=\"default/web\",endpoint=\""
                + backends.get(0)
                + "\"} 100");
  }

  @Test
  void halfCloseLetsTheEndpointAnswerAfterTheClientFinishedSending() throws Exception {
    Frontend frontend = freeFrontend("127.64.200.2");
    forwarder.apply(table(frontend, List.of(backend("a")))).get(5, TimeUnit.SECONDS);

    try (Socket socket = connect(frontend)) {
      InputStream in = socket.getInputStream();
      assertThat(readLine(in)).isEqualTo("a");
      socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();
      assertThat(readLine(in)).isEqualTo("ping");
      assertThat(readLine(in)).isEqualTo("bye");
      assertThat(in.read()).isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> metrics.active() == 0);
  }

  @Test
  void aLargeTransferArrivesIntactBothWays() throws Exception {
    Frontend frontend = freeFrontend("127.64.200.3");
    forwarder.apply(table(frontend, List.of(backend("a")))).get(5, TimeUnit.SECONDS);
    byte[] payload = new byte[64 * 1024 * 1024];
    new Random(7).nextBytes(payload);

    try (Socket socket = connect(frontend)) {
      socket.setSoTimeout(60_000);
      // Writes on one thread, reads on this one: a proxy without back-pressure would buffer it all.
      var writer =
          threads.submit(
              () -> {
                socket.getOutputStream().write(payload);
                socket.shutdownOutput();
                return null;
              });
      InputStream in = socket.getInputStream();
      assertThat(readLine(in)).isEqualTo("a");
      byte[] echoed = in.readNBytes(payload.length);
      writer.get(60, TimeUnit.SECONDS);
      assertThat(MessageDigest.getInstance("SHA-256").digest(echoed))
          .isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
      assertThat(readLine(in)).isEqualTo("bye");
    }
    assertThat(metrics.render()).contains("direction=\"to_endpoint\"} " + payload.length);
  }

  @Test
  void withNoReadyEndpointAConnectionIsRefusedAtOnce() throws Exception {
    Frontend frontend = freeFrontend("127.64.200.4");
    forwarder.apply(table(frontend, List.of())).get(5, TimeUnit.SECONDS);

    long start = System.nanoTime();
    try (Socket socket = connect(frontend)) {
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(metrics.render())
        .contains(
            "keelson_proxy_errors_total{service=\"default/web\",endpoint=\"\",reason=\"no_endpoints\"} 1");
  }

  @Test
  void anEndpointThatRefusesIsSkippedForTheNext() throws Exception {
    Frontend frontend = freeFrontend("127.64.200.5");
    Backend dead;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = new Backend("127.0.0.1", gone.getLocalPort());
    }
    Backend live = backend("live");
    forwarder.apply(table(frontend, List.of(dead, live))).get(5, TimeUnit.SECONDS);

    for (int i = 0; i < 4; i++) {
      try (Socket socket = connect(frontend)) {
        assertThat(readLine(socket.getInputStream())).isEqualTo("live");
      }
    }
  }

  @Test
  void aRemovedEndpointGetsNoNewConnectionsButKeepsItsOpenOnes() throws Exception {
    Frontend frontend = freeFrontend("127.64.200.6");
    Backend a = backend("a");
    Backend b = backend("b");
    forwarder.apply(table(frontend, List.of(a, b))).get(5, TimeUnit.SECONDS);
    Socket first = connect(frontend);
    String firstName = readLine(first.getInputStream());
    Backend kept = firstName.equals("a") ? b : a;
    String keptName = firstName.equals("a") ? "b" : "a";

    forwarder.apply(table(frontend, List.of(kept))).get(5, TimeUnit.SECONDS);

    for (int i = 0; i < 10; i++) {
      try (Socket socket = connect(frontend)) {
        assertThat(readLine(socket.getInputStream())).isEqualTo(keptName);
      }
    }
    try (first) {
      first.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
      assertThat(readLine(first.getInputStream())).isEqualTo("still here");
    }
  }

  @Test
  void aFrontendTheTableDropsStopsListening() throws Exception {
    Frontend frontend = freeFrontend("127.64.200.7");
    forwarder.apply(table(frontend, List.of(backend("a")))).get(5, TimeUnit.SECONDS);
    assertThat(forwarder.listening()).containsExactly(frontend);

    forwarder.apply(ProxyTable.EMPTY).get(5, TimeUnit.SECONDS);

    assertThat(forwarder.listening()).isEmpty();
    assertThatThrownBy(() -> connect(frontend).close()).isInstanceOf(ConnectException.class);
    assertThat(metrics.render()).contains("keelson_proxy_listeners 0");
  }

  @Test
  void anAddressThatCannotBeBoundIsReportedAndRetriedAtTheNextApply() throws Exception {
    Frontend frontend = freeFrontend("127.64.200.8");
    ProxyTable table = table(frontend, List.of(backend("a")));
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(frontend.host(), frontend.port()));
      assertThat(forwarder.apply(table).get(5, TimeUnit.SECONDS)).containsExactly(frontend);
    }
    assertThat(forwarder.apply(table).get(5, TimeUnit.SECONDS)).isEmpty();
    try (Socket socket = connect(frontend)) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("a");
    }
  }
}
