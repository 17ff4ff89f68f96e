package dev.keelson.nodeagent.runtime.simulated;

import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.PortMapping;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.RuntimeContainer.State;
import dev.keelson.nodeagent.runtime.SandboxSpec;
import dev.keelson.nodeagent.runtime.Usage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One container of the simulated runtime. It keeps only what was done to it (when it was told to
 * start, when it was stopped or exited); its state at a time is computed from those and the clock,
 * so no timer is ever needed. Mutated only under the runtime's lock.
 */
final class SimulatedContainer {

  private static final Pattern EXIT_WORD = Pattern.compile("(?<![\\w=-])exit=(\\d{1,3})(?!\\w)");

  final String id;
  final String name;
  final String image;
  final String imageId;
  final Map<String, String> labels;
  final boolean sandbox;
  final List<PortMapping> ports;
  final String ip;
  final Long memoryLimit;
  final Long cpuLimit;

  /** From start to running; the exit of an "exit=N" container follows as long after. */
  private final Duration startDelay;

  /** The code an "exit=N" container exits with by itself, or null when it runs until stopped. */
  private final Integer exitsWith;

  /** The log lines of runs before the last start (a restarted container keeps its log). */
  private final List<LogLine> earlierRuns = new ArrayList<>();

  private Instant startCalled;
  private Instant stoppedAt;
  private Integer stopCode;

  private SimulatedContainer(
      String id,
      String name,
      String image,
      Map<String, String> labels,
      boolean sandbox,
      List<PortMapping> ports,
      String ip,
      Long memoryLimit,
      Long cpuLimit,
      Duration startDelay,
      Integer exitsWith) {
    this.id = id;
    this.name = name;
    this.image = image;
    this.imageId = "sha256:" + sha256(image);
    this.labels = Map.copyOf(labels);
    this.sandbox = sandbox;
    this.ports = List.copyOf(ports);
    this.ip = ip;
    this.memoryLimit = memoryLimit;
    this.cpuLimit = cpuLimit;
    this.startDelay = startDelay;
    this.exitsWith = exitsWith;
  }

  /** A sandbox: it holds the pod's IP and ports, runs as soon as started, and only waits. */
  static SimulatedContainer sandbox(
      String id, SandboxSpec spec, List<PortMapping> ports, String ip) {
    return new SimulatedContainer(
        id,
        spec.name(),
        spec.image(),
        spec.labels(),
        true,
        ports,
        ip,
        null,
        null,
        Duration.ZERO,
        null);
  }

  /** A container of a pod: it runs {@code startDelay} after its start. */
  static SimulatedContainer of(String id, ContainerSpec spec, Duration startDelay) {
    List<String> commandLine = new ArrayList<>(spec.command());
    commandLine.addAll(spec.args());
    return new SimulatedContainer(
        id,
        spec.name(),
        spec.image(),
        spec.labels(),
        false,
        List.of(),
        "",
        spec.memoryBytes(),
        spec.nanoCpus(),
        startDelay,
        exitCode(commandLine));
  }

  /** The code N of the first word "exit=N" in a command line, or null. */
  static Integer exitCode(List<String> commandLine) {
    for (String part : commandLine) {
      Matcher matcher = EXIT_WORD.matcher(part);
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1)) & 0xff;
      }
    }
    return null;
  }

  /** A log line and when it was written. */
  record LogLine(Instant time, String text) {}

  State state(Instant now) {
    if (startCalled == null) {
      return State.CREATED;
    }
    if (finishedAt(now) != null) {
      return State.EXITED;
    }
    return now.isBefore(startCalled.plus(startDelay)) ? State.CREATED : State.RUNNING;
  }

  /** Starts it, or starts it again once it has exited; one that runs or starts already stays so. */
  void start(Instant now) {
    if (startCalled != null && state(now) != State.EXITED) {
      return;
    }
    if (startCalled != null) {
      earlierRuns.addAll(thisRun(now));
    }
    startCalled = now;
    stoppedAt = null;
    stopCode = null;
  }

  /** Ends the current run (one that starts or runs) with {@code code}; none runs, nothing done. */
  void end(Instant now, int code) {
    if (startCalled != null && state(now) != State.EXITED) {
      stoppedAt = now;
      stopCode = code;
    }
  }

  boolean everStarted() {
    return startCalled != null;
  }

  /** When the process ran: the end of the start delay, or the stop if that came first. */
  private Instant startedAt() {
    Instant running = startCalled.plus(startDelay);
    return stoppedAt != null && stoppedAt.isBefore(running) ? stoppedAt : running;
  }

  private Instant finishedAt(Instant now) {
    if (stoppedAt != null) {
      return stoppedAt;
    }
    if (exitsWith != null) {
      Instant exit = startCalled.plus(startDelay).plus(startDelay);
      return now.isBefore(exit) ? null : exit;
    }
    return null;
  }

  RuntimeContainer view(Instant now) {
    State state = state(now);
    boolean ran = state == State.RUNNING || state == State.EXITED;
    Instant finished = state == State.EXITED ? finishedAt(now) : null;
    return new RuntimeContainer(
        id,
        name,
        image,
        imageId,
        labels,
        state,
        finished == null ? null : (stoppedAt != null ? stopCode : exitsWith),
        ran ? startedAt() : null,
        finished,
        ports,
        ip);
  }

  /**
   * Synthetic but steady use, derived from the id: 1 to 50 millicores, 4 to 64 MiB, in limits; the
   * CPU time used is that rate over the time it has run until {@code now}.
   */
  Usage usage(Instant now) {
    int hash = id.hashCode();
    long nanoCores = (1 + Math.floorMod(hash, 50)) * 1_000_000L;
    long memory = (4 + Math.floorMod(hash >>> 8, 61)) * 1024L * 1024;
    long cpu = cpuLimit == null ? nanoCores : Math.min(nanoCores, cpuLimit);
    long ranMillis = Math.max(0, Duration.between(startedAt(), now).toMillis());
    return new Usage(
        cpu,
        memoryLimit == null ? memory : Math.min(memory, memoryLimit),
        cpu / 1000 * ranMillis,
        now);
  }

  /** The whole log up to {@code now}: earlier runs, then this run's start and exit. */
  List<LogLine> logLines(Instant now) {
    List<LogLine> lines = new ArrayList<>(earlierRuns);
    lines.addAll(thisRun(now));
    return lines;
  }

  private List<LogLine> thisRun(Instant now) {
    List<LogLine> lines = new ArrayList<>();
    State state = state(now);
    if (state == State.CREATED) {
      return lines;
    }
    Instant started = startedAt();
    lines.add(new LogLine(started, "simulated container " + name + " started at " + started));
    lines.add(new LogLine(started, "simulated container " + name + " runs " + image));
    if (state == State.EXITED) {
      lines.add(exitLine(now));
    }
    return lines;
  }

  /** The last line of an exited run. */
  LogLine exitLine(Instant now) {
    Instant finished = finishedAt(now);
    Integer code = stoppedAt != null ? stopCode : exitsWith;
    return new LogLine(
        finished, "simulated container " + name + " exited with code " + code + " at " + finished);
  }

  /** 64 hex digits, as Docker's ids and image digests look. */
  static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
