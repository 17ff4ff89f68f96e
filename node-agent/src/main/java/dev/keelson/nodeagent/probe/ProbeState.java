package dev.keelson.nodeagent.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * One probe of one container instance, as the kubelet's probe worker keeps it: when the next run is
 * due, and the result that consecutive outcomes have settled on. Pure: the caller runs the probe
 * and passes the time. A restarted container gets a new state.
 *
 * <p>Like upstream, readiness starts failing, liveness passing, startup not passed; a result only
 * changes after {@code successThreshold} successes or {@code failureThreshold} failures in a row.
 * Liveness and readiness are not to run until a startup probe, if any, has passed.
 */
public final class ProbeState {

  private final ProbeKind kind;
  private final ProbeSpec spec;
  private final Instant firstDue;

  private Instant lastRun;
  private Boolean lastSuccess;
  private int run;
  private boolean passing;
  private boolean failed;
  private boolean settled;
  private String lastMessage = "";

  public ProbeState(ProbeKind kind, ProbeSpec spec, Instant containerStartedAt) {
    this.kind = kind;
    this.spec = spec;
    this.firstDue = containerStartedAt.plusSeconds(spec.initialDelaySeconds());
    this.passing = kind == ProbeKind.LIVENESS;
  }

  /**
   * Whether to run the probe at {@code now}: not before the initial delay has passed, then once a
   * period. Never again once a liveness probe has failed or a startup probe has either passed or
   * failed: upstream stops probing a container that is to be restarted, or that has started.
   */
  public boolean due(Instant now) {
    if (settled || now.isBefore(firstDue)) {
      return false;
    }
    return lastRun == null || !now.isBefore(lastRun.plus(Duration.ofSeconds(spec.periodSeconds())));
  }

  /** Counts one outcome of the probe, run at {@code now}; ignored once the probe is settled. */
  public void record(ProbeOutcome outcome, Instant now) {
    if (settled) {
      return;
    }
    lastRun = now;
    lastMessage = outcome.message() == null ? "" : outcome.message();
    if (lastSuccess != null && lastSuccess == outcome.success()) {
      run++;
    } else {
      lastSuccess = outcome.success();
      run = 1;
    }
    int threshold = outcome.success() ? spec.successThreshold() : spec.failureThreshold();
    if (run < threshold) {
      return; // below the threshold the result stays what it was
    }
    passing = outcome.success();
    failed = !outcome.success();
    settled = kind == ProbeKind.STARTUP || (kind == ProbeKind.LIVENESS && failed);
  }

  /** The settled result: ready for readiness, alive for liveness, started for startup. */
  public boolean passing() {
    return passing;
  }

  /**
   * Whether the failure threshold was reached (and, for readiness, not undone by successes since):
   * for liveness and startup, the container is to be restarted.
   */
  public boolean failed() {
    return failed;
  }

  /** The message of the last outcome recorded, "" before the first. */
  public String lastMessage() {
    return lastMessage;
  }

  public ProbeKind kind() {
    return kind;
  }
}
