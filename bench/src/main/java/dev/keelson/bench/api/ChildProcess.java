package dev.keelson.bench.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server the benchmark starts and stops itself: its output goes to a log file beside its data, a
 * JVM shutdown hook stops it if the benchmark is interrupted, and {@link #close} sends SIGTERM and
 * waits for a clean stop before killing it.
 */
public final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  private final Thread hook;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.hook = new Thread(process::destroy, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  public static ChildProcess start(String name, List<String> command, Path log) throws IOException {
    return start(name, command, Map.of(), log);
  }

  /** As {@link #start(String, List, Path)}, with {@code environment} added to this one's. */
  public static ChildProcess start(
      String name, List<String> command, Map<String, String> environment, Path log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process =
        builder
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    return new ChildProcess(name, process, log);
  }

  /** Waits until {@code ready} holds; fails with the end of the log if the process exits first. */
  public void awaitReady(BooleanSupplier ready, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + " before it was ready:\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " was not ready after " + timeout + ":\n" + tail());
      }
      Thread.sleep(100);
    }
  }

  /** True once the log has a line equal to {@code line}. */
  public boolean logHas(String line) {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .anyMatch(l -> l.strip().equals(line));
    } catch (IOException e) {
      return false;
    }
  }

  /** The operating system's id of the process, to read its usage from /proc. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines of its output, to say why it failed. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      System.err.println(name + " did not stop within 30 s after SIGTERM; killing it");
      process.destroyForcibly().waitFor();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs and finds the process gone.
    }
  }
}
