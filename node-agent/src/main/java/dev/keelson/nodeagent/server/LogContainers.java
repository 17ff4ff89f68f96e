package dev.keelson.nodeagent.server;

import dev.keelson.nodeagent.runtime.RuntimeContainer;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which instance of a pod's container a log request reads. The agent keeps the exited instance of
 * each restart, so the runtime may hold several: the current one is the one that runs, or else the
 * newest; the previous one is the newest started before it, as a kubelet reads the last terminated
 * instance for {@code --previous}.
 */
final class LogContainers {

  private LogContainers() {}

  /** Newest first: an instance never started was created after every started one. */
  private static final Comparator<RuntimeContainer> NEWEST_FIRST =
      Comparator.comparing(
              (RuntimeContainer c) -> c.startedAt() == null ? Instant.MAX : c.startedAt())
          .reversed()
          .thenComparing(RuntimeContainer::id);

  static Optional<RuntimeContainer> current(List<RuntimeContainer> instances) {
    Optional<RuntimeContainer> running =
        instances.stream()
            .filter(c -> c.state() == RuntimeContainer.State.RUNNING)
            .sorted(NEWEST_FIRST)
            .findFirst();
    return running.isPresent() ? running : instances.stream().sorted(NEWEST_FIRST).findFirst();
  }

  static Optional<RuntimeContainer> previous(List<RuntimeContainer> instances) {
    Optional<RuntimeContainer> current = current(instances);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    Instant before = current.get().startedAt() == null ? Instant.MAX : current.get().startedAt();
    return instances.stream()
        .filter(c -> c.startedAt() != null && c.startedAt().isBefore(before))
        .sorted(NEWEST_FIRST)
        .findFirst();
  }

  /** A kubelet's message when there is no instance to read. */
  static String missing(boolean previous, String container, String pod) {
    return previous
        ? "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found"
        : "container \""
            + container
            + "\" in pod \""
            + pod
            + "\" is waiting to start: ContainerCreating";
  }
}
