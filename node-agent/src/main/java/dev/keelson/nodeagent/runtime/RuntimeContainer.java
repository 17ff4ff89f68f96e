package dev.keelson.nodeagent.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container as the runtime sees it.
 *
 * @param exitCode the exit code once it has exited, else null
 * @param image the image as the container was created from it
 * @param imageId the runtime's id of that image (e.g. {@code sha256:...})
 * @param ports the published ports, with the host ports the runtime chose
 * @param ip the address of the container's own network namespace (a sandbox's), or ""
 */
public record RuntimeContainer(
    String id,
    String name,
    String image,
    String imageId,
    Map<String, String> labels,
    State state,
    Integer exitCode,
    Instant startedAt,
    Instant finishedAt,
    List<PortMapping> ports,
    String ip) {

  /** The states the node agent tells apart. */
  public enum State {
    CREATED,
    RUNNING,
    EXITED,
    UNKNOWN
  }
}
