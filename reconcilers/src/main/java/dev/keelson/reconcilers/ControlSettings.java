package dev.keelson.reconcilers;

import dev.keelson.reconcilers.leader.LeaderElector;
import java.time.Duration;

/**
 * The knobs of the reconcilers, with upstream's defaults.
 *
 * @param nodeMonitorGracePeriod how long a node's Lease may go unrenewed before the node is Unknown
 *     (kube-controller-manager's --node-monitor-grace-period, 50 s)
 * @param podEvictionTimeout how long pods tolerate an unreachable or not-ready node when they say
 *     nothing themselves (the DefaultTolerationSeconds admission's 300 s)
 * @param hpaSyncPeriod how often autoscalers are evaluated (15 s)
 * @param hpaDownscaleStabilization how long an autoscaler remembers higher recommendations before
 *     it scales down (300 s)
 * @param leaderTiming the leader election's lease, renew deadline and retry period
 */
public record ControlSettings(
    Duration nodeMonitorGracePeriod,
    Duration podEvictionTimeout,
    Duration hpaSyncPeriod,
    Duration hpaDownscaleStabilization,
    LeaderElector.Timing leaderTiming) {

  public static ControlSettings defaults() {
    return new ControlSettings(
        Duration.ofSeconds(50),
        Duration.ofSeconds(300),
        Duration.ofSeconds(15),
        Duration.ofSeconds(300),
        LeaderElector.Timing.DEFAULT);
  }

  public ControlSettings withNodeMonitorGracePeriod(Duration d) {
    return new ControlSettings(
        d, podEvictionTimeout, hpaSyncPeriod, hpaDownscaleStabilization, leaderTiming);
  }

  public ControlSettings withPodEvictionTimeout(Duration d) {
    return new ControlSettings(
        nodeMonitorGracePeriod, d, hpaSyncPeriod, hpaDownscaleStabilization, leaderTiming);
  }

  public ControlSettings withHpa(Duration syncPeriod, Duration downscaleStabilization) {
    return new ControlSettings(
        nodeMonitorGracePeriod,
        podEvictionTimeout,
        syncPeriod,
        downscaleStabilization,
        leaderTiming);
  }

  public ControlSettings withLeaderTiming(LeaderElector.Timing timing) {
    return new ControlSettings(
        nodeMonitorGracePeriod,
        podEvictionTimeout,
        hpaSyncPeriod,
        hpaDownscaleStabilization,
        timing);
  }
}
