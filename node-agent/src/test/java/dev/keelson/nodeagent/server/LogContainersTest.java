package dev.keelson.nodeagent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.RuntimeContainer.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogContainersTest {

  private static RuntimeContainer instance(String id, State state, String startedAt) {
    return new RuntimeContainer(
        id,
        "k8s_app_p_ns_uid",
        "keelson/busybox:1",
        "sha256:1",
        Map.of(),
        state,
        state == State.EXITED ? 1 : null,
        startedAt == null ? null : Instant.parse(startedAt),
        null,
        List.of(),
        "");
  }

  private final RuntimeContainer first = instance("a", State.EXITED, "2025-01-01T00:00:00Z");
  private final RuntimeContainer second = instance("b", State.EXITED, "2025-01-01T00:01:00Z");
  private final RuntimeContainer running = instance("c", State.RUNNING, "2025-01-01T00:02:00Z");
  private final RuntimeContainer created = instance("d", State.CREATED, null);

  @Test
  void theRunningInstanceIsCurrentAndTheNewestExitedOneBeforeItPrevious() {
    List<RuntimeContainer> instances = List.of(second, running, first);
    assertThat(LogContainers.current(instances)).contains(running);
    assertThat(LogContainers.previous(instances)).contains(second);
  }

  @Test
  void withNoneRunningTheNewestIsCurrentAndANeverStartedOneIsTheNewest() {
    assertThat(LogContainers.current(List.of(first, second))).contains(second);
    assertThat(LogContainers.previous(List.of(first, second))).contains(first);
    assertThat(LogContainers.current(List.of(second, created))).contains(created);
    assertThat(LogContainers.previous(List.of(second, created))).contains(second);
  }

  @Test
  void aFirstInstanceHasNoPreviousAndNoInstanceNothingAtAll() {
    assertThat(LogContainers.previous(List.of(running))).isEmpty();
    assertThat(LogContainers.current(List.of())).isEmpty();
    assertThat(LogContainers.previous(List.of())).isEmpty();
  }

  @Test
  void theMessagesAreAKubelets() {
    assertThat(LogContainers.missing(false, "app", "p"))
        .isEqualTo("container \"app\" in pod \"p\" is waiting to start: ContainerCreating");
    assertThat(LogContainers.missing(true, "app", "p"))
        .isEqualTo("previous terminated container \"app\" in pod \"p\" not found");
  }
}
