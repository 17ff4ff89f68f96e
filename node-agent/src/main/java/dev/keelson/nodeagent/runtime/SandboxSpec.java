package dev.keelson.nodeagent.runtime;

import java.util.List;
import java.util.Map;

/**
 * A pod's sandbox: the infra container that holds its network namespace.
 *
 * @param name the container name (unique on the host)
 * @param image the image the infra container runs (it only waits)
 * @param ports the container ports to publish on the node
 */
public record SandboxSpec(
    String name, String image, Map<String, String> labels, List<PortMapping> ports) {

  public SandboxSpec {
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
  }
}
