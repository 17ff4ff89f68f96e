package dev.keelson.e2e.agent;

import dev.keelson.api.Json;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.ExecResult;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pods for the agent tests, written as a user writes manifests. */
final class Pods {

  private Pods() {}

  static Pod parse(String yaml) {
    try {
      return Json.yaml().readValue(yaml, Pod.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Pod create(KubernetesClient client, String yaml) {
    return client.pods().inNamespace("default").resource(parse(yaml)).create();
  }

  static Pod get(KubernetesClient client, String name) {
    return client.pods().inNamespace("default").withName(name).get();
  }

  static String phase(KubernetesClient client, String name) {
    Pod pod = get(client, name);
    return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  static Optional<ContainerStatus> container(KubernetesClient client, String pod, String name) {
    Pod p = get(client, pod);
    if (p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return p.getStatus().getContainerStatuses().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst();
  }

  /** The running instance of a container of a pod on {@code node}, if one runs. */
  static Optional<RuntimeContainer> running(
      ContainerRuntime runtime, String node, String pod, String container) {
    return runtime
        .list(
            Map.of(
                PodContainers.NODE, node,
                PodContainers.POD_NAME, pod,
                PodContainers.CONTAINER, container))
        .stream()
        .filter(c -> c.state() == RuntimeContainer.State.RUNNING)
        .findFirst();
  }

  /** What {@code command} prints in the running container, or "" when none runs. */
  static String exec(
      ContainerRuntime runtime, String node, String pod, String container, String... command) {
    return running(runtime, node, pod, container)
        .map(c -> runtime.exec(c.id(), List.of(command), Duration.ofSeconds(10)).output())
        .orElse("");
  }

  /** Runs {@code command} in the running container, which must exist and succeed. */
  static void run(
      ContainerRuntime runtime, String node, String pod, String container, String... command) {
    RuntimeContainer running = running(runtime, node, pod, container).orElseThrow();
    ExecResult result = runtime.exec(running.id(), List.of(command), Duration.ofSeconds(10));
    if (result.exitCode() == null || result.exitCode() != 0) {
      throw new AssertionError(List.of(command) + " failed in " + pod + ": " + result);
    }
  }

  /** The variables {@code env} printed, one NAME=value a line. */
  static Map<String, String> environment(String printed) {
    Map<String, String> env = new java.util.HashMap<>();
    for (String line : printed.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  static boolean ready(KubernetesClient client, String name) {
    Pod pod = get(client, name);
    return pod != null
        && pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }
}
