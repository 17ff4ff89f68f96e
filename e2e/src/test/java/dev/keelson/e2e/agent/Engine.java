package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keelson.nodeagent.runtime.docker.DockerRuntime;

/** The Docker engine the agent tests need: required under CI, else its absence skips them. */
final class Engine {

  private Engine() {}

  static void require() {
    boolean up;
    try (DockerRuntime docker = DockerRuntime.connect()) {
      docker.version();
      up = docker.hasImage("keelson/busybox:1");
      assertThat(up).as("keelson/busybox:1 is built (docker/build-images)").isTrue();
    } catch (RuntimeException e) {
      up = false;
    }
    if (!up) {
      assertThat(System.getenv("CI"))
          .as("a Docker engine is required with CI=true")
          .isNotEqualTo("true");
    }
    assumeTrue(up, "no Docker engine answers");
  }
}
