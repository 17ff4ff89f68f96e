package dev.keelson.bench.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The API write benchmark: N HTTPS clients create and then update pods through {@code keelson up}
 * (a child process from the cli jar), and the same writes with the same bytes go to a local etcd as
 * the compare-and-set transactions the Kubernetes apiserver sends it. Then a fixed rate of creates
 * against Keelson checks the latency goal.
 */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    description = "Pod creates and updates through the Keelson API, and the same against etcd.")
public final class ApiWriteBench implements Callable<Integer> {

  @Option(
      names = "--clients",
      split = ",",
      defaultValue = "16,64",
      description = "Concurrent clients, one run each (default ${DEFAULT-VALUE}).")
  List<Integer> clients;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "Length of each create and each update phase (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "20",
      description =
          "Unmeasured creates, then as long updates, before the first phase"
              + " (default ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description = "Creates/s of the fixed-rate phase (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--rate-seconds",
      defaultValue = "10",
      description = "Length of the fixed-rate phase (default ${DEFAULT-VALUE}).")
  int rateSeconds;

  @Option(
      names = "--goal-p99-ms",
      defaultValue = "50",
      description = "The p99 the fixed-rate phase should stay under (default ${DEFAULT-VALUE}).")
  double goalP99Millis;

  @Option(names = "--keelson-jar", description = "Default: cli/target/keelson.jar of this tree.")
  Path keelsonJar;

  @Option(
      names = "--etcd",
      defaultValue = EtcdProcess.DEFAULT_BINARY,
      description = "The etcd server binary (default ${DEFAULT-VALUE}).")
  Path etcdBinary;

  @Option(
      names = "--api-listen",
      defaultValue = "127.0.0.1:7445",
      description = "Where Keelson's API listens (default ${DEFAULT-VALUE}).")
  String apiListen;

  @Option(
      names = "--kafka-listen",
      defaultValue = "127.0.0.1:29094",
      description = "Where Keelson's embedded Kafka broker listens (default ${DEFAULT-VALUE}).")
  String kafkaListen;

  @Option(
      names = "--health-listen",
      defaultValue = "127.0.0.1:10272",
      description = "Where Keelson serves /healthz and /readyz (default ${DEFAULT-VALUE}).")
  String healthListen;

  @Option(
      names = "--etcd-port",
      defaultValue = "22379",
      description = "etcd's client port on 127.0.0.1; its peer port is the next.")
  int etcdPort;

  private final List<PhaseResult> results = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    String missing = EtcdProcess.missing(etcdBinary);
    if (missing != null) {
      System.err.println(missing);
      return 2;
    }
    Path jar = keelsonJar != null ? keelsonJar : KeelsonProcess.defaultJar();
    Path dir = Files.createTempDirectory("keelson-api-bench-");
    System.out.printf(
        Locale.ROOT,
        "Keelson API write benchmark: clients %s, %d s per phase, %d cores, data in %s%n",
        clients,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        dir);
    PhaseResult atRate;
    try {
      try (EtcdProcess etcd =
              EtcdProcess.start(etcdBinary, dir.resolve("etcd/data"), "127.0.0.1", etcdPort);
          EtcdKv target = new EtcdKv(etcd.endpoint())) {
        writeLevels(target);
      }
      int connections = clients.stream().max(Integer::compare).orElse(1);
      try (KeelsonProcess keelson =
              KeelsonProcess.start(
                  jar, dir.resolve("keelson/data"), apiListen, kafkaListen, healthListen);
          KeelsonApi target = new KeelsonApi(keelson.access(), connections)) {
        writeLevels(target);
        atRate = FixedRateLoad.creates(target, rate, Duration.ofSeconds(rateSeconds), "rate");
        progress(atRate);
      }
    } finally {
      deleteRecursively(dir);
    }
    results.sort(
        Comparator.comparingInt((PhaseResult r) -> r.clients)
            .thenComparing(r -> r.op)
            .thenComparing(r -> r.target.equals("keelson") ? 0 : 1));
    System.out.println();
    System.out.print(ResultTable.render(results));
    System.out.println();
    System.out.println(goalLine(atRate));
    return 0;
  }

  /**
   * An unmeasured warm-up (creates, then updates of them: the JVM's JIT needs it, etcd does not
   * mind), then for each client count a create phase and an update phase of its pods.
   */
  private void writeLevels(WriteTarget target) throws InterruptedException {
    List<ClosedLoopLoad.Pods> pods = new ArrayList<>();
    Duration warmup = Duration.ofSeconds(warmupSeconds);
    ClosedLoopLoad.creates(target, clients.get(0), warmup, "warm", pods);
    ClosedLoopLoad.updates(target, pods, warmup);
    for (int n : clients) {
      PhaseResult created =
          ClosedLoopLoad.creates(target, n, Duration.ofSeconds(seconds), "c" + n, pods);
      progress(created);
      PhaseResult updated = ClosedLoopLoad.updates(target, pods, Duration.ofSeconds(seconds));
      progress(updated);
      results.add(created);
      results.add(updated);
    }
  }

  private String goalLine(PhaseResult r) {
    double p99 = r.percentileMillis(99);
    boolean met = r.writesPerSecond() >= rate * 0.99 && p99 <= goalP99Millis;
    return String.format(
        Locale.ROOT,
        "goal p99 <= %.0f ms at %,d writes/s: %s (keelson, %d s of creates at %,d/s: achieved %,.0f"
            + " accepted writes/s, p50 %s ms, p99 %s ms, %,d not accepted)",
        goalP99Millis,
        rate,
        met ? "MET" : "NOT MET",
        rateSeconds,
        rate,
        r.writesPerSecond(),
        ResultTable.millis(r.percentileMillis(50)),
        ResultTable.millis(p99),
        r.notAccepted());
  }

  private static void progress(PhaseResult r) {
    System.err.printf(
        Locale.ROOT,
        "%s %s x%d: %,d accepted in %.1f s (%,.0f/s), p50 %s ms, p99 %s ms%s%n",
        r.target,
        r.op,
        r.clients,
        r.accepted(),
        r.seconds(),
        r.writesPerSecond(),
        ResultTable.millis(r.percentileMillis(50)),
        ResultTable.millis(r.percentileMillis(99)),
        r.problem() == null ? "" : "; " + r.problem());
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // A temporary directory left behind is harmless.
    }
  }
}
