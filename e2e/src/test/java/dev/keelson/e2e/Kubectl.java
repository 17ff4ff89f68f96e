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

  /** Where the other kubectl versions are, as kubectl.1.NN. */
  static final Path VERSIONS = Path.of("/usr/lib/google-cloud-sdk/bin");

  private final Path kubeconfig;
  private final String binary;

  Kubectl(Path kubeconfig) {
    this(kubeconfig, "kubectl");
  }

  Kubectl(Path kubeconfig, String binary) {
    this.kubeconfig = kubeconfig;
    this.binary = binary;
  }

  /** kubectl 1.{@code minor}, from the folder of versions. */
  static Kubectl version(Path kubeconfig, int minor) {
    return new Kubectl(kubeconfig, VERSIONS.resolve("kubectl.1." + minor).toString());
  }

  boolean present() {
    try {
      return new ProcessBuilder(binary, "version", "--client").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Starts kubectl and leaves it running (for get -w); its output goes to {@code out}. */
  Process start(Path out, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(binary, "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
  }

  Result run(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(binary, "--kubeconfig", kubeconfig.toString(), "--request-timeout", "30s"));
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
