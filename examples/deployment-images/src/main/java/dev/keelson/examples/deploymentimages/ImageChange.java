package dev.keelson.examples.deploymentimages;

/**
 * One line of a Deployment's history: a container of its pod template started running {@code
 * image}, or, with a null image, the Deployment was deleted.
 *
 * @param revision the record's offset + 1: the Deployment's resourceVersion from then on
 * @param time when the change was made (the envelope's time)
 * @param user who made it (the envelope's actor.user)
 * @param container the container of the pod template, or null for a deletion
 * @param image the image, or null for a deletion
 */
public record ImageChange(long revision, String time, String user, String container, String image) {

  static ImageChange deletion(long revision, String time, String user) {
    return new ImageChange(revision, time, user, null, null);
  }
}
