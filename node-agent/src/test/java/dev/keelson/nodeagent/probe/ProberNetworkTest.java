package dev.keelson.nodeagent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.keelson.api.Json;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * httpGet and tcpSocket probes against servers of this test on the loopback: status codes, headers,
 * redirects, timeouts, HTTPS with a certificate nobody trusts, and named ports.
 */
class ProberNetworkTest {

  private static final JsonNode CONTAINER =
      Json.parseObject(
          "{\"name\":\"web\",\"ports\":[{\"name\":\"http\",\"containerPort\":8080},"
              + "{\"name\":\"metrics\",\"containerPort\":9090}]}");

  private final Prober prober = new Prober(null); // exec is not probed here: no runtime needed
  private final Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
  private HttpServer server;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    handle(server);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpServer on) {
    on.createContext("/ok", e -> answer(e, 200, "fine"));
    on.createContext("/boom", e -> answer(e, 500, "secret stack trace"));
    on.createContext(
        "/here",
        e -> {
          e.getResponseHeaders().add("Location", "/boom");
          answer(e, 302, "");
        });
    on.createContext(
        "/elsewhere",
        e -> {
          e.getResponseHeaders().add("Location", "http://127.0.0.2:1/ok");
          answer(e, 301, "moved");
        });
    on.createContext(
        "/slow",
        e -> {
          try {
            Thread.sleep(3000);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
          answer(e, 200, "late");
        });
  }

  private void answer(HttpExchange exchange, int status, String body) throws IOException {
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
    seen.put(exchange.getRequestURI().toString(), headers);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private ProbeOutcome get(String path, Map<String, String> headers, int timeoutSeconds) {
    int port = server.getAddress().getPort();
    Handler handler = new Handler.HttpGetAction("HTTP", "", new IntNode(port), path, headers);
    return prober.probe(
        new ProbeSpec(handler, 0, timeoutSeconds, 10, 1, 3), "127.0.0.1", "c", CONTAINER);
  }

  @Test
  void twoHundredIsSuccessAndFiveHundredAFailureWithoutTheBody() {
    ProbeOutcome ok = get("/ok", Map.of(), 2);
    assertThat(ok).isEqualTo(new ProbeOutcome(true, "fine"));
    ProbeOutcome boom = get("/boom", Map.of(), 2);
    assertThat(boom).isEqualTo(new ProbeOutcome(false, "HTTP probe failed with statuscode: 500"));
  }

  @Test
  void theKubeletsHeadersAndTheProbesOwnAreSent() {
    assertThat(get("/ok", Map.of(), 2).success()).isTrue();
    assertThat(seen.get("/ok"))
        .containsEntry("user-agent", "kube-probe/1.32")
        .containsEntry("accept", "*/*")
        .containsEntry("connection", "close")
        .containsEntry("host", "127.0.0.1:" + server.getAddress().getPort());

    assertThat(
            get("/ok?full=1", Map.of("Host", "shop.example", "X-Probe", "yes", "Accept", ""), 2)
                .success())
        .isTrue();
    assertThat(seen.get("/ok?full=1"))
        .containsEntry("host", "shop.example")
        .containsEntry("x-probe", "yes")
        .doesNotContainKey("accept");
  }

  @Test
  void aRedirectOnTheSameHostIsFollowedOneElsewhereEndsTheProbeAsASuccess() {
    assertThat(get("/here", Map.of(), 2))
        .as("followed to /boom")
        .isEqualTo(new ProbeOutcome(false, "HTTP probe failed with statuscode: 500"));
    assertThat(get("/elsewhere", Map.of(), 2))
        .isEqualTo(new ProbeOutcome(true, "Probe terminated redirects, Response body: moved"));
  }

  @Test
  void anAnswerLaterThanTheTimeoutIsAFailure() {
    long start = System.nanoTime();
    ProbeOutcome slow = get("/slow", Map.of(), 1);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);
    assertThat(slow.success()).isFalse();
    assertThat(slow.message()).contains("/slow\": context deadline exceeded");
  }

  @Test
  void httpsIsProbedWithoutCheckingTheCertificate(@TempDir Path dir) throws Exception {
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(selfSigned(dir)));
    handle(https);
    https.start();
    try {
      Handler handler =
          new Handler.HttpGetAction(
              "HTTPS", "", new IntNode(https.getAddress().getPort()), "/ok", Map.of());
      ProbeOutcome outcome =
          prober.probe(new ProbeSpec(handler, 0, 5, 10, 1, 3), "127.0.0.1", "c", CONTAINER);
      assertThat(outcome).isEqualTo(new ProbeOutcome(true, "fine"));
    } finally {
      https.stop(0);
    }
  }

  /** A TLS context with a fresh self-signed certificate, made by the JDK's keytool. */
  private static SSLContext selfSigned(Path dir) throws Exception {
    Path store = dir.resolve("probe.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "probe",
                "-keyalg",
                "EC",
                "-dname",
                "CN=nobody-trusts-me",
                "-validity",
                "1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(output).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(store.toFile())) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory managers = KeyManagerFactory.getInstance("SunX509");
    managers.init(keys, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    assertThat(Files.exists(store)).isTrue();
    return context;
  }

  @Test
  void tcpSocketSucceedsOnAListeningPortAndFailsOnAClosedOne() throws IOException {
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    Handler open = new Handler.TcpSocketAction("", new IntNode(server.getAddress().getPort()));
    assertThat(prober.probe(new ProbeSpec(open, 0, 1, 10, 1, 3), "127.0.0.1", "c", CONTAINER))
        .isEqualTo(new ProbeOutcome(true, ""));
    Handler shut = new Handler.TcpSocketAction("127.0.0.1", new IntNode(closed));
    assertThat(prober.probe(new ProbeSpec(shut, 0, 1, 10, 1, 3), "10.255.255.1", "c", CONTAINER))
        .as("the probe's host wins over the pod's IP")
        .isEqualTo(
            new ProbeOutcome(
                false, "dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
  }

  @Test
  void portsAreNumbersNamesOfTheContainersPortsOrNumbersAsText() {
    assertThat(Prober.resolvePort(new IntNode(81), CONTAINER)).isEqualTo(81);
    assertThat(Prober.resolvePort(new TextNode("metrics"), CONTAINER)).isEqualTo(9090);
    assertThat(Prober.resolvePort(new TextNode("8443"), CONTAINER)).isEqualTo(8443);
    for (JsonNode port : List.of(new IntNode(0), new IntNode(70000), new TextNode("99999"))) {
      Handler handler = new Handler.TcpSocketAction("", port);
      assertThat(prober.probe(new ProbeSpec(handler, 0, 1, 10, 1, 3), "127.0.0.1", "c", CONTAINER))
          .isEqualTo(new ProbeOutcome(false, "invalid port number: " + port.asInt()));
    }
    Handler unnamed = new Handler.HttpGetAction("HTTP", "", new TextNode("admin"), "/", Map.of());
    assertThat(prober.probe(new ProbeSpec(unnamed, 0, 1, 10, 1, 3), "127.0.0.1", "c", CONTAINER))
        .isEqualTo(new ProbeOutcome(false, "couldn't find port: admin in container \"web\""));
  }

  @Test
  void unsupportedHandlersFail() {
    assertThat(
            prober.probe(
                new ProbeSpec(new Handler.Unsupported("grpc"), 0, 1, 10, 1, 3),
                "127.0.0.1",
                "c",
                CONTAINER))
        .isEqualTo(new ProbeOutcome(false, "grpc probes are not supported by this node"));
  }
}
