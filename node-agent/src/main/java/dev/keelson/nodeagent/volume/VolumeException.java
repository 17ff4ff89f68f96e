package dev.keelson.nodeagent.volume;

/**
 * A pod's volume that cannot be prepared: a source Keelson does not support, a ConfigMap or Secret
 * that is not there, a hostPath of the wrong type, a path that leaves its volume. The message is
 * one line naming the volume or mount, as the agent reports it in the container's status.
 */
public final class VolumeException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public VolumeException(String message) {
    super(message);
  }

  public VolumeException(String message, Throwable cause) {
    super(message, cause);
  }
}
