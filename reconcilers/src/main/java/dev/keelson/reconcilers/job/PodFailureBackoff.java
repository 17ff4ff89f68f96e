package dev.keelson.reconcilers.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How long a Job waits before it replaces a failed pod: {@code base} doubled for each failure since
 * the last success, capped at {@code max}, counted from the last failure (upstream's pod failure
 * back-off: 10 s, 20 s, 40 s ... up to 10 minutes).
 */
record PodFailureBackoff(Duration base, Duration max) {

  static final PodFailureBackoff UPSTREAM =
      new PodFailureBackoff(Duration.ofSeconds(10), Duration.ofMinutes(10));

  /** The wait left at {@code now} before a new pod may be created, zero when there is none. */
  Duration remaining(List<JobPod> pods, Instant now) {
    Instant lastSuccess = null;
    for (JobPod pod : pods) {
      if (pod.succeeded() && pod.finishedAt() != null) {
        lastSuccess = later(lastSuccess, pod.finishedAt());
      }
    }
    int failures = 0;
    Instant lastFailure = null;
    for (JobPod pod : pods) {
      if (pod.failed()
          && pod.finishedAt() != null
          && (lastSuccess == null || pod.finishedAt().isAfter(lastSuccess))) {
        failures++;
        lastFailure = later(lastFailure, pod.finishedAt());
      }
    }
    if (failures == 0) {
      return Duration.ZERO;
    }
    Duration wait = base;
    for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    if (wait.compareTo(max) > 0) {
      wait = max;
    }
    Duration left = wait.minus(Duration.between(lastFailure, now));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }
}
