package dev.keelson.reconcilers;

import dev.keelson.api.change.Actor;
import dev.keelson.projection.Projection;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.EventRecorder;
import java.time.Clock;

/**
 * What the reconcilers of one process share: the projection of the change log they read, the
 * projections of node Leases and container metrics (null where a process has none), the writer they
 * write through, and their settings.
 */
public record ControlContext(
    Projection projection,
    Projection leases,
    Projection metrics,
    ClusterWriter writer,
    ControlSettings settings,
    String instance) {

  public Clock clock() {
    return writer.clock();
  }

  /** A writer as the reconciler {@code component} (its identity in the log). */
  public ClusterWriter writerAs(String component) {
    return writer.as(Actor.system(component));
  }

  /** An event recorder for {@code component}, writing as it. */
  public EventRecorder events(String component) {
    return new EventRecorder(writerAs(component), component, instance);
  }
}
