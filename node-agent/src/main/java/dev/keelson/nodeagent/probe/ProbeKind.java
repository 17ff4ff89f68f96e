package dev.keelson.nodeagent.probe;

/** The three probes a container may have; each keeps its own {@link ProbeState}. */
public enum ProbeKind {
  /** Failing restarts the container; passes until told otherwise. */
  LIVENESS,
  /** Failing takes the pod out of its Services' endpoints; fails until told otherwise. */
  READINESS,
  /** Holds back liveness and readiness until it passes once; failing restarts the container. */
  STARTUP
}
