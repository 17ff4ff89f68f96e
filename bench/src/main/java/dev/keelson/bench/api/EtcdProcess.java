package dev.keelson.bench.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A single-member etcd from the Debian package ({@code /usr/bin/etcd}) on loopback, with a fresh
 * data directory: ready when its {@code /health} answers healthy.
 */
final class EtcdProcess implements AutoCloseable {

  static final String DEFAULT_BINARY = "/usr/bin/etcd";

  private final ChildProcess process;
  private final String endpoint;

  private EtcdProcess(ChildProcess process, String endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Null if {@code binary} can run, else the one line that says how to install it. */
  static String missing(Path binary) {
    return Files.isExecutable(binary)
        ? null
        : "etcd is not installed at "
            + binary
            + "; install Debian's etcd with: apt-get update && apt-get install -y etcd-server";
  }

  /** Starts etcd serving clients on {@code host:port} and its peer on {@code port + 1}. */
  static EtcdProcess start(Path binary, Path dataDir, String host, int port)
      throws IOException, InterruptedException {
    Files.createDirectories(dataDir.getParent());
    String client = "http://" + host + ":" + port;
    String peer = "http://" + host + ":" + (port + 1);
    List<String> command =
        List.of(
            binary.toString(),
            "--name=bench",
            "--data-dir=" + dataDir,
            "--listen-client-urls=" + client,
            "--advertise-client-urls=" + client,
            "--listen-peer-urls=" + peer,
            "--initial-advertise-peer-urls=" + peer,
            "--initial-cluster=bench=" + peer,
            "--initial-cluster-state=new",
            "--logger=zap",
            "--log-outputs=stderr");
    ChildProcess process = ChildProcess.start("etcd", command, dataDir.resolveSibling("etcd.log"));
    try {
      process.awaitReady(() -> healthy(client), Duration.ofSeconds(30));
      return new EtcdProcess(process, client);
    } catch (RuntimeException | InterruptedException e) {
      process.close();
      throw e;
    }
  }

  private static boolean healthy(String client) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(client + "/health"))
                      .timeout(Duration.ofSeconds(1))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("true");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String endpoint() {
    return endpoint;
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
