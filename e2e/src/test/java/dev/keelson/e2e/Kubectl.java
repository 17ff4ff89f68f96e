package dev.keelson.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl on the PATH, with a given kubeconfig. */
final class Kubectl {

  record Result(int exit, String output) {}

  private final Path kubeconfig;

  Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  boolean present() {
    try {
      return new ProcessBuilder("kubectl", "version", "--client").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  Result run(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout", "30s"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("kubectl", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
