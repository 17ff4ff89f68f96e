package dev.keelson.write;

/**
 * How to delete, as Kubernetes' DeleteOptions say it.
 *
 * @param gracePeriodSeconds for pods on a node: how long they may take to stop (null: the pod's own
 *     terminationGracePeriodSeconds)
 * @param propagationPolicy Orphan, Background or Foreground (null: Background)
 * @param uid the object must have this uid (null: any)
 * @param resourceVersion the object must be at this version (null: any)
 */
public record DeleteOptions(
    Long gracePeriodSeconds, String propagationPolicy, String uid, String resourceVersion) {

  public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null);
}
