package dev.keelson.reconcilers.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one autoscaler remembers between syncs, as upstream's controller does in memory: its recent
 * unstabilized recommendations and its recent scale changes, each stamped with its time. A new
 * entry takes the place of one that fell out of every window, so the lists stay short.
 */
public final class ScalingHistory {

  /** A recommendation, as the metrics asked, before stabilization and limits. */
  public record Recommendation(int replicas, Instant time) {}

  /** A change of the target's replicas, always positive (the list says which way). */
  public record ScaleEvent(int change, Instant time) {}

  private final List<Recommendation> recommendations = new ArrayList<>();
  private final List<ScaleEvent> scaleUps = new ArrayList<>();
  private final List<ScaleEvent> scaleDowns = new ArrayList<>();

  /** The first sync's recommendation is the current count, so a start never scales down at once. */
  public void recordInitial(int currentReplicas, Instant now) {
    if (recommendations.isEmpty()) {
      recommendations.add(new Recommendation(currentReplicas, now));
    }
  }

  public List<Recommendation> recommendations() {
    return List.copyOf(recommendations);
  }

  /** Records {@code replicas} at {@code now}, in the place of one older than {@code keep}. */
  public void recommend(int replicas, Instant now, Duration keep) {
    Instant cutoff = now.minus(keep);
    for (int i = 0; i < recommendations.size(); i++) {
      if (recommendations.get(i).time().isBefore(cutoff)) {
        recommendations.set(i, new Recommendation(replicas, now));
        return;
      }
    }
    recommendations.add(new Recommendation(replicas, now));
  }

  public List<ScaleEvent> scaleUps() {
    return List.copyOf(scaleUps);
  }

  public List<ScaleEvent> scaleDowns() {
    return List.copyOf(scaleDowns);
  }

  /**
   * Records a change from {@code from} to {@code to} replicas, in the place of an event older than
   * {@code keep} (the longest period of the direction's policies).
   */
  public void scaled(int from, int to, Instant now, Duration keep) {
    List<ScaleEvent> events = to > from ? scaleUps : scaleDowns;
    ScaleEvent event = new ScaleEvent(Math.abs(to - from), now);
    Instant cutoff = now.minus(keep);
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).time().isBefore(cutoff)) {
        events.set(i, event);
        return;
      }
    }
    events.add(event);
  }
}
