package dev.keelson.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code keelson up} from the built cli jar as a child process, with its own data directory and
 * addresses: ready when it prints "Stop with Ctrl-C.", reached through the kubeconfig it writes.
 */
public final class KeelsonProcess implements AutoCloseable {

  /** What a client needs: the server URL, the cluster CA, the admin bearer token. */
  public record Access(URI server, String caPem, String token) {

    public static Access read(Path kubeconfig) throws IOException {
      JsonNode config = Json.yaml().readTree(Files.readString(kubeconfig));
      JsonNode cluster = config.path("clusters").path(0).path("cluster");
      String ca =
          new String(
              Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText()),
              StandardCharsets.US_ASCII);
      return new Access(
          URI.create(cluster.path("server").asText()),
          ca,
          config.path("users").path(0).path("user").path("token").asText());
    }
  }

  private final ChildProcess process;
  private final Access access;

  private KeelsonProcess(ChildProcess process, Access access) {
    this.process = process;
    this.access = access;
  }

  /** The API alone, on the given addresses: no node agent on this host competes for it. */
  static KeelsonProcess start(Path jar, Path dataDir, String api, String kafka, String health)
      throws IOException, InterruptedException {
    return up(
        jar,
        dataDir,
        List.of("--listen", api, "--kafka-listen", kafka, "--health-listen", health, "--no-agent"));
  }

  /**
   * {@code keelson up --data-dir DIR} with {@code arguments}; its output goes to keelson.log beside
   * the data directory.
   */
  public static KeelsonProcess up(Path jar, Path dataDir, List<String> arguments)
      throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    List<String> command = command(jar, "up", "--data-dir", dataDir.toString());
    command.addAll(arguments);
    ChildProcess process =
        ChildProcess.start("keelson", command, dataDir.resolveSibling("keelson.log"));
    try {
      process.awaitReady(() -> process.logHas("Stop with Ctrl-C."), Duration.ofMinutes(2));
      return new KeelsonProcess(process, Access.read(dataDir.resolve("kubeconfig")));
    } catch (RuntimeException | IOException | InterruptedException e) {
      process.close();
      throw e;
    }
  }

  /**
   * {@code java [KEELSON_JAVA_OPTS] -jar JAR ARGUMENTS...}, with the JVM that runs the benchmark.
   */
  public static List<String> command(Path jar, String... arguments) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no Keelson jar at " + jar + "; build it with: mvn -B -DskipTests package -pl cli -am");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    String options = System.getenv("KEELSON_JAVA_OPTS");
    if (options != null && !options.isBlank())
      command.addAll(List.of(options.trim().split("\\s+")));
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(List.of(arguments));
    return command;
  }

  /** cli/target/keelson.jar of the tree whose bench/target holds this benchmark's jar. */
  public static Path defaultJar() throws Exception {
    Path self =
        Path.of(KeelsonProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return self.getParent().getParent().getParent().resolve("cli/target/keelson.jar");
  }

  public Access access() {
    return access;
  }

  public ChildProcess process() {
    return process;
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
