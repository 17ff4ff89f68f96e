package dev.keelson.cli;

import dev.keelson.reconcilers.ControlSettings;
import dev.keelson.reconcilers.leader.LeaderElector;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The reconcilers' settings, as flags named after kube-controller-manager's. */
final class ControlOptions {

  @Option(
      names = "--node-monitor-grace-period",
      paramLabel = "DURATION",
      description =
          "How long a node's Lease may go unrenewed before the node is marked Unknown"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "50s",
      converter = GoDuration.class)
  Duration nodeMonitorGracePeriod;

  @Option(
      names = "--pod-eviction-timeout",
      paramLabel = "DURATION",
      description =
          "How long pods tolerate an unreachable node unless they say otherwise"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "300s",
      converter = GoDuration.class)
  Duration podEvictionTimeout;

  @Option(
      names = "--horizontal-pod-autoscaler-sync-period",
      paramLabel = "DURATION",
      description = "How often autoscalers are evaluated (default: ${DEFAULT-VALUE}).",
      defaultValue = "15s",
      converter = GoDuration.class)
  Duration hpaSyncPeriod;

  @Option(
      names = "--horizontal-pod-autoscaler-downscale-stabilization",
      paramLabel = "DURATION",
      description =
          "How long an autoscaler waits before it scales down (default: ${DEFAULT-VALUE}).",
      defaultValue = "5m",
      converter = GoDuration.class)
  Duration hpaDownscaleStabilization;

  @Option(
      names = "--leader-elect-lease-duration",
      paramLabel = "DURATION",
      description =
          "How long a standby waits, after the leader's last renewal it saw, before it takes over"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "15s",
      converter = GoDuration.class)
  Duration leaseDuration;

  @Option(
      names = "--leader-elect-renew-deadline",
      paramLabel = "DURATION",
      description =
          "How long the leader keeps acting without a successful renewal"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "10s",
      converter = GoDuration.class)
  Duration renewDeadline;

  @Option(
      names = "--leader-elect-retry-period",
      paramLabel = "DURATION",
      description = "How often the Lease is renewed or tried (default: ${DEFAULT-VALUE}).",
      defaultValue = "2s",
      converter = GoDuration.class)
  Duration retryPeriod;

  ControlSettings settings() {
    if (renewDeadline.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException(
          "--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration");
    }
    return ControlSettings.defaults()
        .withNodeMonitorGracePeriod(nodeMonitorGracePeriod)
        .withPodEvictionTimeout(podEvictionTimeout)
        .withHpa(hpaSyncPeriod, hpaDownscaleStabilization)
        .withLeaderTiming(new LeaderElector.Timing(leaseDuration, renewDeadline, retryPeriod));
  }

  /** A duration as Go writes it: 300ms, 50s, 5m, 1h30m. */
  static final class GoDuration implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      String text = value.trim().toLowerCase(Locale.ROOT);
      Matcher m = PART.matcher(text);
      Duration total = Duration.ZERO;
      int end = 0;
      while (m.find() && m.start() == end) {
        long n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  default -> Duration.ofHours(n);
                });
        end = m.end();
      }
      if (end == 0 || end != text.length()) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (for example 300ms, 50s, 5m, 1h)");
      }
      return total;
    }
  }
}
