package dev.keelson.bench.agent;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Docker engine as the benchmark sees it, through the {@code docker} command. */
public final class DockerCli {

  public static final String IMAGE = "keelson/busybox:1";

  private DockerCli() {}

  /** Why the Docker part cannot run, in one line, or null when it can. */
  public static String problem() {
    if (run("docker", "version", "--format", "{{.Server.Version}}") == null) {
      return "bench agent: no Docker engine answers `docker version`; start it, or pass"
          + " --skip-docker";
    }
    if (run("docker", "image", "inspect", "--format", "{{.Id}}", IMAGE) == null) {
      return "bench agent: the image " + IMAGE + " is missing; build it with docker/build-images";
    }
    return null;
  }

  /**
   * The pod uids of the containers, running or not, that carry the agent's label of {@code node}.
   */
  static List<String> podUidsOnNode(String node) {
    String out =
        run(
            "docker",
            "ps",
            "-a",
            "--filter",
            "label=keelson.dev/node=" + node,
            "--format",
            "{{.Label \"keelson.dev/pod-uid\"}}");
    if (out == null) {
      throw new IllegalStateException("docker ps failed");
    }
    return Arrays.stream(out.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** The command's output, or null when it could not run or exited non-zero. */
  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      return process.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
