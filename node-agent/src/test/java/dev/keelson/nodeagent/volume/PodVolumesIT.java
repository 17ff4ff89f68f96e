package dev.keelson.nodeagent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.Mount;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.SandboxSpec;
import dev.keelson.nodeagent.runtime.docker.DockerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod's volumes bound into real containers by the Docker engine (which runs as root while the
 * agent may not): two containers share an emptyDir, a ConfigMap's file is readable and read-only.
 */
class PodVolumesIT {

  private static final String IMAGE = "keelson/busybox:1";

  @TempDir Path temp;

  private DockerRuntime runtime;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, String> labels = Map.of("test.keelson.dev/run", run);

  @BeforeEach
  void connect() {
    try {
      runtime = DockerRuntime.connect();
      runtime.version();
    } catch (RuntimeException e) {
      runtime = null;
      assertThat(System.getenv("CI"))
          .as("a Docker engine is required with CI=true")
          .isNotEqualTo("true");
    }
  }

  @AfterEach
  void cleanUp() {
    if (runtime != null) {
      runtime.list(labels).forEach(c -> runtime.remove(c.id()));
      runtime.close();
    }
    PodVolumes.remove(temp.resolve("pod"));
  }

  @Test
  void containersOfAPodShareAnEmptyDirAndReadAConfigMapFile() throws Exception {
    if (runtime == null) {
      return;
    }
    PodVolumesTest.Config config = new PodVolumesTest.Config();
    config.configMaps.put("settings", Map.of("greeting.txt", "hello " + run));
    JsonNode pod =
        Json.yaml()
            .readTree(
                """
                metadata: {name: shared-%s, namespace: shop, uid: %s}
                spec:
                  volumes:
                  - {name: scratch, emptyDir: {}}
                  - {name: config, configMap: {name: settings}}
                  containers:
                  - name: writer
                    volumeMounts: [{name: scratch, mountPath: /scratch}]
                  - name: reader
                    volumeMounts:
                    - {name: scratch, mountPath: /shared, readOnly: true}
                    - {name: config, mountPath: /etc/settings}
                """
                    .formatted(run, run));
    Map<String, List<Mount>> mounts = PodVolumes.prepare(pod, temp.resolve("pod"), config);
    String sandbox =
        runtime.runSandbox(
            new SandboxSpec("keelson-test-" + run + "-sandbox", IMAGE, labels, List.of()));

    assertThat(runToEnd(sandbox, "writer", mounts, "echo from-writer > /scratch/note")).isZero();
    Path note = temp.resolve("pod/volumes/empty-dir/scratch/note");
    assertThat(Files.readString(note)).isEqualTo("from-writer\n");

    String reads =
        "grep -qx from-writer /shared/note"
            + " && grep -qx 'hello "
            + run
            + "' /etc/settings/greeting.txt"
            + " && ! touch /etc/settings/new 2>/dev/null"
            + " && ! touch /shared/new 2>/dev/null";
    assertThat(runToEnd(sandbox, "reader", mounts, reads))
        .as("the reader sees the writer's file and the ConfigMap's, and writes neither volume")
        .isZero();
  }

  /** Runs {@code script} in a container of the pod with its mounts; answers its exit code. */
  private int runToEnd(
      String sandbox, String name, Map<String, List<Mount>> mounts, String script) {
    String id =
        runtime.createContainer(
            sandbox,
            new ContainerSpec(
                    "keelson-test-" + run + "-" + name,
                    IMAGE,
                    List.of("/bin/sh", "-c"),
                    List.of(script),
                    null,
                    Map.of(),
                    labels,
                    null,
                    null,
                    List.of())
                .withMounts(mounts.get(name)));
    runtime.start(id);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> runtime.inspect(id).orElseThrow().state() == RuntimeContainer.State.EXITED);
    return runtime.inspect(id).orElseThrow().exitCode();
  }
}
