package dev.keelson.nodeagent.pod;

import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.SandboxSpec;
import java.util.List;

/** What the runtime must run for one pod: its sandbox, init containers in order, containers. */
public record PodPlan(
    SandboxSpec sandbox, List<ContainerSpec> initContainers, List<ContainerSpec> containers) {

  public PodPlan {
    initContainers = List.copyOf(initContainers);
    containers = List.copyOf(containers);
  }
}
