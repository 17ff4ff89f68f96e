package dev.keelson.nodeagent.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container as the runtime sees it.
 *
 * @param exitCode the exit code once it has exited, else null
 * @param ports the published ports, with the host ports the runtime chose
 */
public record RuntimeContainer(
    String id,
    String name,
    Map<String, String> labels,
    State state,
    Integer exitCode,
    Instant startedAt,
    Instant finishedAt,
    List<PortMapping> ports) {

  /** The states the node agent tells apart. */
  public enum State {
    CREATED,
    RUNNING,
    EXITED,
    UNKNOWN
  }
}
