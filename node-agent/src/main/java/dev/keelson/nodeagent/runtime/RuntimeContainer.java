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
 * @param error why the runtime could not start it (its process never ran), or null
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
    String ip,
    String error) {

  /** A container the runtime had no trouble with. */
  public RuntimeContainer(
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
    this(id, name, image, imageId, labels, state, exitCode, startedAt, finishedAt, ports, ip, null);
  }

  /** The states the node agent tells apart. */
  public enum State {
    CREATED,
    RUNNING,
    EXITED,
    UNKNOWN
  }
}
