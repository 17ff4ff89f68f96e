package dev.keelson.nodeagent.pod;

import dev.keelson.nodeagent.runtime.RuntimeContainer;

/**
 * What the agent knows of one container of a pod: its newest instance and the one before it, how
 * often it restarted, why it waits when it does, and what its probes say.
 *
 * @param current the newest instance, or null when none was made yet
 * @param previous the instance before it, or null
 * @param waitingReason why the container waits (ErrImagePull, CrashLoopBackOff, ...), or null
 * @param ready whether it runs and its readiness probe (if any) passes
 * @param started whether it runs and its startup probe (if any) passed
 */
public record ContainerView(
    String name,
    String image,
    RuntimeContainer current,
    RuntimeContainer previous,
    int restartCount,
    String waitingReason,
    String waitingMessage,
    boolean ready,
    boolean started) {

  boolean running() {
    return current != null && current.state() == RuntimeContainer.State.RUNNING;
  }

  boolean exited() {
    return current != null && current.state() == RuntimeContainer.State.EXITED;
  }

  boolean succeeded() {
    return exited() && current.exitCode() != null && current.exitCode() == 0;
  }

  /** Never ran: no instance, or one not started yet. */
  boolean neverRan() {
    return (current == null || current.state() == RuntimeContainer.State.CREATED)
        && previous == null;
  }
}
