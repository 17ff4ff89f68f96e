package dev.keelson.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./keelson} run as a user runs it, from the repository root. Its output goes to a file
 * under {@code target/} (a pipe can lose the last lines of a process that exits), kept for the
 * reader of a failed build.
 */
final class KeelsonProcess implements AutoCloseable {

  private static final AtomicInteger COUNT = new AtomicInteger();

  private final Process process;
  private final Path log;

  private KeelsonProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isExecutable(dir.resolve("keelson"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no ./keelson above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static KeelsonProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(repositoryRoot().resolve("keelson").toString());
    command.addAll(List.of(args));
    if (args.length > 0 && args[0].equals("up") && !List.of(args).contains("--agent-listen")) {
      // Each test's node agent on a port of its own, so that no two tests contend for 10250.
      command.add("--agent-listen");
      command.add("127.0.0.1:0");
    }
    Path logs = Path.of("target", "keelson-processes").toAbsolutePath();
    Files.createDirectories(logs);
    Path log =
        logs.resolve(
            "keelson-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("KEELSON_KAFKA");
    return new KeelsonProcess(builder.start(), log);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  /** Waits until {@code text} is printed; false if the process ends or time runs out first. */
  boolean awaitLine(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(text)) {
        return true;
      }
      if (!process.isAlive()) {
        return output().contains(text);
      }
      Thread.sleep(50);
    }
    return false;
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  Process process() {
    return process;
  }

  /** Waits for the process to end by itself; its exit code, or null if it did not end. */
  Integer awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return null;
    }
    return process.exitValue();
  }

  /** Sends SIGTERM and waits for the exit; the time it took, or null if it did not exit. */
  Duration terminate(Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return null;
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
