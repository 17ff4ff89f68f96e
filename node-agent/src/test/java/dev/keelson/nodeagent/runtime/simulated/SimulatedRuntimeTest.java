package dev.keelson.nodeagent.runtime.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.ExecResult;
import dev.keelson.nodeagent.runtime.LogOptions;
import dev.keelson.nodeagent.runtime.PortMapping;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.RuntimeContainer.State;
import dev.keelson.nodeagent.runtime.SandboxSpec;
import dev.keelson.nodeagent.runtime.Usage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SimulatedRuntimeTest {

  private static final Duration DELAY = Duration.ofSeconds(2);
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final TestClock clock = new TestClock(T0);
  private final SimulatedRuntime runtime = new SimulatedRuntime(DELAY, clock);

  @Test
  void reportsItsVersionAndHasEveryImageButMissingOnes() {
    assertThat(runtime.version()).isEqualTo("simulated://1");
    assertThat(runtime.hasImage("keelson/busybox:1")).isTrue();
    assertThat(runtime.hasImage("shop/missing-image:1")).isFalse();
    String sandbox = sandbox("p");
    assertThatThrownBy(() -> runtime.createContainer(sandbox, spec("c", "x/missing:1", List.of())))
        .isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void aSandboxRunsAtOnceWithItsOwnIpAndPublishedPorts() {
    String id =
        runtime.runSandbox(
            new SandboxSpec(
                "pod-a",
                "pause",
                Map.of("pod", "a"),
                List.of(
                    new PortMapping(8080, "TCP", "127.0.0.1", 0),
                    new PortMapping(9090, "UDP", "", 19090))));
    RuntimeContainer sandbox = runtime.inspect(id).orElseThrow();
    assertThat(sandbox.state()).isEqualTo(State.RUNNING);
    assertThat(sandbox.startedAt()).isEqualTo(T0);
    assertThat(sandbox.ip()).matches("10\\.244\\.\\d{1,3}\\.\\d{1,3}");
    assertThat(sandbox.imageId()).matches("sha256:[0-9a-f]{64}");
    assertThat(sandbox.ports()).hasSize(2);
    assertThat(sandbox.ports().get(0).hostPort()).isBetween(32768, 60999);
    assertThat(sandbox.ports().get(1)).isEqualTo(new PortMapping(9090, "UDP", "", 19090));
    assertThatThrownBy(
            () ->
                runtime.runSandbox(
                    new SandboxSpec(
                        "pod-b", "pause", Map.of(), List.of(new PortMapping(1, "UDP", "", 19090)))))
        .hasMessageContaining("port is already allocated");
    runtime.stop(id, Duration.ofSeconds(30));
    assertThat(runtime.inspect(id).orElseThrow().exitCode()).isZero();
    runtime.remove(id);
    // the host port is free again once the sandbox is gone
    runtime.runSandbox(
        new SandboxSpec("pod-b", "pause", Map.of(), List.of(new PortMapping(1, "UDP", "", 19090))));
  }

  @Test
  void ipsAndDynamicPortsAreUniqueAcrossThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<String>> ids = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int n = i;
      ids.add(
          pool.submit(
              () ->
                  runtime.runSandbox(
                      new SandboxSpec(
                          "pod-" + n,
                          "pause",
                          Map.of(),
                          List.of(new PortMapping(80, "TCP", "0.0.0.0", 0))))));
    }
    Set<String> ips = new HashSet<>();
    Set<Integer> ports = new HashSet<>();
    for (Future<String> id : ids) {
      RuntimeContainer sandbox = runtime.inspect(id.get()).orElseThrow();
      ips.add(sandbox.ip());
      ports.add(sandbox.ports().get(0).hostPort());
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ips).hasSize(400);
    assertThat(ports).hasSize(400);
  }

  @Test
  void aContainerRunsOneStartDelayAfterItsStartAndAStopEndsItWith143() {
    String id = runtime.createContainer(sandbox("p"), spec("web", "img", List.of()));
    assertThat(runtime.inspect(id).orElseThrow().state()).isEqualTo(State.CREATED);
    runtime.start(id);
    clock.advance(Duration.ofSeconds(1));
    assertThat(runtime.inspect(id).orElseThrow().state()).isEqualTo(State.CREATED);
    assertThat(runtime.usage(id)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    RuntimeContainer running = runtime.inspect(id).orElseThrow();
    assertThat(running.state()).isEqualTo(State.RUNNING);
    assertThat(running.startedAt()).isEqualTo(T0.plus(DELAY));
    assertThat(running.exitCode()).isNull();
    assertThat(running.ip()).isEmpty();
    assertThat(runtime.exec(id, List.of("true"), Duration.ofSeconds(1)))
        .isEqualTo(new ExecResult(0, ""));
    clock.advance(Duration.ofHours(1));
    assertThat(runtime.inspect(id).orElseThrow().state()).isEqualTo(State.RUNNING);
    runtime.stop(id, Duration.ofSeconds(30));
    RuntimeContainer stopped = runtime.inspect(id).orElseThrow();
    assertThat(stopped.state()).isEqualTo(State.EXITED);
    assertThat(stopped.exitCode()).isEqualTo(143);
    assertThat(stopped.finishedAt()).isEqualTo(clock.instant());
    assertThatThrownBy(() -> runtime.exec(id, List.of("true"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aStopDuringTheStartDelayEndsTheContainerThere() {
    String id = runtime.createContainer(sandbox("p"), spec("web", "img", List.of()));
    runtime.stop(id, Duration.ZERO);
    assertThat(runtime.inspect(id).orElseThrow().state())
        .as("a container never started stays created when stopped, as in Docker")
        .isEqualTo(State.CREATED);
    runtime.start(id);
    clock.advance(Duration.ofSeconds(1));
    runtime.stop(id, Duration.ZERO);
    clock.advance(DELAY);
    RuntimeContainer stopped = runtime.inspect(id).orElseThrow();
    assertThat(stopped.state()).isEqualTo(State.EXITED);
    assertThat(stopped.exitCode()).isEqualTo(143);
    assertThat(stopped.startedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(stopped.finishedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void aContainerExitsWhenToldAndStartsAgainWithItsLogKept() {
    String id = runtime.createContainer(sandbox("p"), spec("web", "img", List.of()));
    assertThatThrownBy(() -> runtime.exit(id, 3)).isInstanceOf(IllegalStateException.class);
    runtime.start(id);
    clock.advance(DELAY);
    runtime.exit(id, 3);
    runtime.exit(id, 4); // a process exits once
    assertThat(runtime.inspect(id).orElseThrow().exitCode()).isEqualTo(3);
    clock.advance(Duration.ofSeconds(5));
    runtime.start(id);
    assertThat(runtime.inspect(id).orElseThrow().state()).isEqualTo(State.CREATED);
    assertThat(runtime.inspect(id).orElseThrow().exitCode()).isNull();
    clock.advance(DELAY);
    assertThat(runtime.inspect(id).orElseThrow().state()).isEqualTo(State.RUNNING);
    assertThat(read(id, new LogOptions(false, null, false, null)))
        .containsSubsequence(
            "simulated container web started at " + T0.plus(DELAY),
            "simulated container web exited with code 3 at " + T0.plus(DELAY),
            "simulated container web started at " + T0.plus(Duration.ofSeconds(9)));
  }

  @Test
  void anExitWordMakesTheContainerCrashOneStartDelayAfterItRuns() {
    assertThat(SimulatedContainer.exitCode(List.of("sh", "-c", "sleep 1; exit=7"))).isEqualTo(7);
    assertThat(SimulatedContainer.exitCode(List.of("--on-exit=1", "exit=x", "exit"))).isNull();
    String id = runtime.createContainer(sandbox("p"), spec("crash", "img", List.of("exit=1")));
    runtime.start(id);
    clock.advance(DELAY);
    assertThat(runtime.inspect(id).orElseThrow().state()).isEqualTo(State.RUNNING);
    clock.advance(DELAY.minusMillis(1));
    assertThat(runtime.inspect(id).orElseThrow().state()).isEqualTo(State.RUNNING);
    clock.advance(Duration.ofMillis(1));
    RuntimeContainer crashed = runtime.inspect(id).orElseThrow();
    assertThat(crashed.state()).isEqualTo(State.EXITED);
    assertThat(crashed.exitCode()).isEqualTo(1);
    assertThat(crashed.finishedAt()).isEqualTo(T0.plus(DELAY).plus(DELAY));
    runtime.stop(id, Duration.ZERO); // stopping what exited changes nothing
    assertThat(runtime.inspect(id).orElseThrow().exitCode()).isEqualTo(1);
  }

  @Test
  void listFindsByEveryLabelAndRemoveForgetsTheContainer() {
    String sandbox = sandbox("p");
    String a = runtime.createContainer(sandbox, spec("a", "img", List.of()));
    String b =
        runtime.createContainer(
            sandbox,
            new ContainerSpec(
                "b",
                "img",
                List.of(),
                List.of(),
                "",
                Map.of(),
                Map.of("pod", "p", "container", "b"),
                null,
                null,
                List.of()));
    assertThat(runtime.list(Map.of("pod", "p"))).extracting(RuntimeContainer::id).contains(a, b);
    assertThat(runtime.list(Map.of("pod", "p", "container", "b")))
        .extracting(RuntimeContainer::id)
        .containsExactly(b);
    assertThat(runtime.inspect("b").orElseThrow().id()).isEqualTo(b);
    assertThatThrownBy(() -> runtime.createContainer(sandbox, spec("b", "img", List.of())))
        .hasMessageContaining("already in use");
    runtime.remove(b);
    runtime.remove(b);
    assertThat(runtime.inspect(b)).isEmpty();
    assertThat(runtime.list(Map.of("pod", "p"))).extracting(RuntimeContainer::id).contains(a);
    assertThat(runtime.list(Map.of("pod", "p"))).extracting(RuntimeContainer::id).doesNotContain(b);
    String again = runtime.createContainer(sandbox, spec("b", "img", List.of()));
    assertThat(runtime.list(Map.of("pod", "p", "container", "b"))).isEmpty();
    assertThat(runtime.list(Map.of("pod", "p")))
        .extracting(RuntimeContainer::id)
        .containsExactly(sandbox, a, again);
  }

  @Test
  void listAmongManyPodsAnswersOnlyTheOnesAskedForInTheOrderTheyWereCreated() {
    List<String> sandboxes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sandboxes.add(
          runtime.runSandbox(
              new SandboxSpec(
                  "pod-" + i,
                  "pause",
                  Map.of("pod", "pod-" + i, "node", "node-" + (i % 4)),
                  List.of())));
    }
    assertThat(runtime.list(Map.of("pod", "pod-17")))
        .extracting(RuntimeContainer::id)
        .containsExactly(sandboxes.get(17));
    assertThat(runtime.list(Map.of("node", "node-1"))).hasSize(50);
    assertThat(runtime.list(Map.of("node", "node-1", "pod", "pod-17")))
        .extracting(RuntimeContainer::id)
        .containsExactly(sandboxes.get(17));
    assertThat(runtime.list(Map.of("node", "node-2", "pod", "pod-17"))).isEmpty();
    assertThat(runtime.list(Map.of("node", "node-9"))).isEmpty();
    assertThat(runtime.list(Map.of())).extracting(RuntimeContainer::id).isEqualTo(sandboxes);
    runtime.remove(sandboxes.get(17));
    assertThat(runtime.list(Map.of("pod", "pod-17"))).isEmpty();
    assertThat(runtime.list(Map.of("node", "node-1"))).hasSize(49);
  }

  @Test
  void logsHonourTailSinceAndTimestamps() {
    String id = running("web");
    assertThat(read(id, new LogOptions(false, null, false, null)))
        .containsExactly(
            "simulated container web started at " + T0.plus(DELAY),
            "simulated container web runs img");
    assertThat(read(id, new LogOptions(false, 1, true, null)))
        .containsExactly("2025-01-01T00:00:02.000000000Z simulated container web runs img");
    assertThat(read(id, new LogOptions(false, null, false, T0.plus(Duration.ofSeconds(3)))))
        .isEmpty();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    runtime.logs("nope", new LogOptions(false, null, false, null), b -> {}, failure::set);
    assertThat(failure.get()).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void aFollowEndsWhenClosedOrWithTheExitLineWhenTheContainerStops() throws Exception {
    String id = running("web");
    AtomicInteger ends = new AtomicInteger();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AutoCloseable closed =
        runtime.logs(
            id,
            new LogOptions(true, null, false, null),
            out::writeBytes,
            e -> ends.incrementAndGet());
    assertThat(ends).hasValue(0);
    closed.close();
    closed.close();
    assertThat(ends).hasValue(1);

    List<String> lines = new ArrayList<>();
    Map<String, Throwable> ended = new ConcurrentHashMap<>();
    runtime.logs(
        id,
        new LogOptions(true, 0, false, null),
        b -> lines.add(new String(b, StandardCharsets.UTF_8).strip()),
        e -> ended.put("end", e == null ? new Throwable("clean") : e));
    assertThat(ended).isEmpty();
    runtime.stop(id, Duration.ofSeconds(1));
    assertThat(ended.get("end")).hasMessage("clean");
    assertThat(lines)
        .containsExactly("simulated container web exited with code 143 at " + clock.instant());

    AtomicInteger exitedEnds = new AtomicInteger();
    runtime.logs(
        id, new LogOptions(true, null, false, null), b -> {}, e -> exitedEnds.incrementAndGet());
    assertThat(exitedEnds).as("following an exited container ends at once").hasValue(1);
  }

  @Test
  void usageIsSteadyPlausibleAndOnlyWhileRunning() {
    Set<Usage> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String id = running("c" + i);
      Usage usage = runtime.usage(id).orElseThrow();
      assertThat(usage.nanoCores()).isBetween(1_000_000L, 50_000_000L);
      assertThat(usage.memoryBytes()).isBetween(4L << 20, 64L << 20);
      assertThat(runtime.usage(id)).contains(usage);
      clock.advance(Duration.ofSeconds(10));
      assertThat(runtime.usage(id).orElseThrow().cpuCoreNanoSeconds() - usage.cpuCoreNanoSeconds())
          .as("ten seconds at the same rate")
          .isEqualTo(usage.nanoCores() * 10);
      seen.add(usage);
    }
    assertThat(seen).as("usage differs between containers").hasSizeGreaterThan(5);
    String limited =
        runtime.createContainer(
            sandbox("limited"),
            new ContainerSpec(
                "limited", "img", List.of(), List.of(), "", Map.of(), Map.of(), 1L << 20, 500_000L,
                List.of()));
    runtime.start(limited);
    clock.advance(DELAY);
    Usage capped = runtime.usage(limited).orElseThrow();
    assertThat(capped.nanoCores()).isEqualTo(500_000L);
    assertThat(capped.memoryBytes()).isEqualTo(1L << 20);
    runtime.stop(limited, Duration.ZERO);
    assertThat(runtime.usage(limited)).isEmpty();
    assertThat(runtime.usage("gone")).isEmpty();
  }

  private String running(String name) {
    String id = runtime.createContainer(sandbox(name + "-pod"), spec(name, "img", List.of()));
    runtime.start(id);
    clock.advance(DELAY);
    return id;
  }

  private List<String> read(String id, LogOptions options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    runtime.logs(id, options, out::writeBytes, e -> {});
    String text = out.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  private String sandbox(String pod) {
    return runtime.runSandbox(
        new SandboxSpec(pod + "-sandbox", "pause", Map.of("pod", pod), List.of()));
  }

  private static ContainerSpec spec(String name, String image, List<String> args) {
    return new ContainerSpec(
        name, image, List.of(), args, "", Map.of(), Map.of("pod", "p"), null, null, List.of());
  }
}
