package dev.keelson.reconcilers.deployment;

/**
 * A decision to set a ReplicaSet's spec.replicas to {@code to}. Upstream scales in two ways: most
 * steps skip a ReplicaSet already at that size ({@code refreshAnnotations} false), while the
 * proportional scaling of {@link ProportionalScaling} also brings its desired-replicas and
 * max-replicas annotations up to date when the size stays ({@code refreshAnnotations} true).
 */
public record Scale(ReplicaSetView rs, int to, boolean refreshAnnotations) {

  public static Scale to(ReplicaSetView rs, int to) {
    return new Scale(rs, to, false);
  }

  public boolean resizes() {
    return rs.replicas() != to;
  }

  /** "up" or "down", as the ScalingReplicaSet event says it. */
  public String direction() {
    return to > rs.replicas() ? "up" : "down";
  }
}
