package dev.keelson.eventlog;

/** The names of Keelson's topics. Tests give each run its own names with {@link #prefixed}. */
public record Topics(String changes, String heartbeats, String metrics, String clusterEvents) {

  public static Topics defaults() {
    return new Topics(
        "keelson.changes", "keelson.heartbeats", "keelson.metrics", "keelson.cluster-events");
  }

  public static Topics prefixed(String prefix) {
    Topics d = defaults();
    return new Topics(
        prefix + d.changes, prefix + d.heartbeats, prefix + d.metrics, prefix + d.clusterEvents);
  }
}
