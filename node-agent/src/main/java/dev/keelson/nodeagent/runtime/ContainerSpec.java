package dev.keelson.nodeagent.runtime;

import java.util.List;
import java.util.Map;

/**
 * One container of a pod, as the runtime runs it.
 *
 * @param command replaces the image's entrypoint when not empty
 * @param args replaces the image's command when not empty
 * @param memoryBytes the memory limit, or null for none
 * @param nanoCpus the CPU limit in billionths of a CPU, or null for none
 * @param mounts the host paths bound into the container (the pod's volumes)
 */
public record ContainerSpec(
    String name,
    String image,
    List<String> command,
    List<String> args,
    String workingDir,
    Map<String, String> env,
    Map<String, String> labels,
    Long memoryBytes,
    Long nanoCpus,
    List<Mount> mounts) {

  public ContainerSpec {
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    mounts = List.copyOf(mounts);
  }

  /** This container with {@code mounts} bound into it. */
  public ContainerSpec withMounts(List<Mount> mounts) {
    return new ContainerSpec(
        name, image, command, args, workingDir, env, labels, memoryBytes, nanoCpus, mounts);
  }
}
