package dev.keelson.nodeagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.nodeagent.pod.ContainerView;
import dev.keelson.nodeagent.probe.ProbeKind;
import dev.keelson.nodeagent.probe.ProbeOutcome;
import dev.keelson.nodeagent.probe.ProbeSpec;
import dev.keelson.nodeagent.probe.ProbeState;
import dev.keelson.nodeagent.probe.Prober;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The probes of a pod's running containers, as the kubelet runs them: the startup probe first; once
 * it passed, liveness (its failure restarts the container) and readiness (it only changes Ready).
 * State is kept per container instance, so a restarted container starts over.
 */
final class ContainerProbes {

  private final Prober prober;
  private final Clock clock;
  private final Map<String, Instance> byContainer = new ConcurrentHashMap<>();

  /** The probes of one instance of a container. */
  private record Instance(String id, Map<ProbeKind, ProbeState> states) {}

  ContainerProbes(Prober prober, Clock clock) {
    this.prober = prober;
    this.clock = clock;
  }

  /** Runs the probes that are due on the running {@code current} and answers its view. */
  ContainerView observe(
      JsonNode spec,
      RuntimeContainer current,
      RuntimeContainer previous,
      int attempt,
      JsonNode pod,
      String podIp,
      ContainerRuntime runtime) {
    Instant startedAt = current.startedAt() == null ? clock.instant() : current.startedAt();
    String name = spec.path("name").asText();
    Map<ProbeKind, ProbeState> states =
        byContainer
            .compute(
                name,
                (n, old) ->
                    old != null && old.id().equals(current.id())
                        ? old
                        : new Instance(current.id(), states(spec, startedAt)))
            .states();
    ProbeState startup = states.get(ProbeKind.STARTUP);
    boolean started = startup == null || startup.passing();
    ProbeKind killedBy = null;
    if (!started) {
      run(startup, spec, current, podIp);
      started = startup.passing();
      killedBy = startup.failed() ? ProbeKind.STARTUP : null;
    }
    ProbeState readiness = states.get(ProbeKind.READINESS);
    boolean killed = killedBy != null;
    if (started && !killed) {
      ProbeState liveness = states.get(ProbeKind.LIVENESS);
      if (liveness != null) {
        run(liveness, spec, current, podIp);
        killed = liveness.failed();
        killedBy = killed ? ProbeKind.LIVENESS : null;
      }
      if (readiness != null && !killed) {
        run(readiness, spec, current, podIp);
      }
    }
    if (killed) {
      // As upstream: the container is killed with its grace period and restarts by its policy.
      byContainer.remove(name);
      runtime.stop(current.id(), killGrace(pod, spec, killedBy));
    }
    boolean ready = !killed && started && (readiness == null || readiness.passing());
    return new ContainerView(
        name,
        spec.path("image").asText(),
        current,
        previous,
        attempt,
        null,
        null,
        ready,
        started && !killed);
  }

  /**
   * The grace period of a kill for a failed probe, as upstream's setTerminationGracePeriod: the
   * probe's own terminationGracePeriodSeconds when it has one, else the pod's.
   */
  static Duration killGrace(JsonNode pod, JsonNode spec, ProbeKind probe) {
    JsonNode own = spec.path(field(probe)).path("terminationGracePeriodSeconds");
    long seconds =
        own.isIntegralNumber() && own.asLong() > 0
            ? own.asLong()
            : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    return Duration.ofSeconds(seconds);
  }

  /** Forgets every instance, when the pod goes. */
  void forget() {
    byContainer.clear();
  }

  private void run(ProbeState state, JsonNode spec, RuntimeContainer current, String podIp) {
    Instant now = clock.instant();
    if (state.due(now)) {
      ProbeSpec probe = ProbeSpec.parse(spec.get(field(state.kind())));
      ProbeOutcome outcome = prober.probe(probe, podIp, current.id(), spec);
      state.record(outcome, clock.instant());
    }
  }

  private static String field(ProbeKind kind) {
    return switch (kind) {
      case STARTUP -> "startupProbe";
      case LIVENESS -> "livenessProbe";
      case READINESS -> "readinessProbe";
    };
  }

  private static Map<ProbeKind, ProbeState> states(JsonNode spec, Instant startedAt) {
    Map<ProbeKind, ProbeState> states = new EnumMap<>(ProbeKind.class);
    for (ProbeKind kind : ProbeKind.values()) {
      add(states, kind, spec.get(field(kind)), startedAt);
    }
    return states;
  }

  private static void add(
      Map<ProbeKind, ProbeState> states, ProbeKind kind, JsonNode probe, Instant startedAt) {
    if (probe != null && probe.isObject()) {
      states.put(kind, new ProbeState(kind, ProbeSpec.parse(probe), startedAt));
    }
  }
}
