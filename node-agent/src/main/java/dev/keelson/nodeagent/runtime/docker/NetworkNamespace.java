package dev.keelson.nodeagent.runtime.docker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A shell script of the host's commands run inside the network namespace of a container's process,
 * and of no other namespace: {@code nsenter --net=/proc/PID/ns/net}. It needs util-linux's nsenter
 * and a host process allowed to enter the namespace (root, as the agent that drives Docker is).
 */
final class NetworkNamespace {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private NetworkNamespace() {}

  /**
   * Runs {@code script} with {@code input} on its standard input in the network namespace of
   * process {@code pid}.
   *
   * @throws IllegalStateException when it fails or outlasts its timeout, with what it printed
   */
  static void run(long pid, String script, String input) {
    List<String> command =
        List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "--", "/bin/sh", "-c", script);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run nsenter: " + e.getMessage(), e);
    }
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // It stopped reading: it failed, and its exit code and output say why.
    }
    try {
      boolean ended = process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        process.destroyForcibly();
        throw new IllegalStateException("no answer within " + TIMEOUT.toSeconds() + "s");
      }
      if (process.exitValue() != 0) {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        throw new IllegalStateException("exit code " + process.exitValue() + ": " + output.strip());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
