package dev.keelson.bench.scheduler;

import dev.keelson.bench.api.KeelsonProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The scheduler benchmark, in three parts that start their own Keelson as child processes from the
 * cli jar: bind throughput of a separate {@code keelson scheduler} on nodes without a kubelet (as
 * upstream's scheduler_perf), the time until pods run on simulated nodes, and a Deployment scaled
 * up and down.
 */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    description = {
      "Scheduler throughput: pending pods on N API-only nodes bound by keelson scheduler (pods"
          + " bound/s), the time until pods are Running on simulated nodes, and a Deployment"
          + " scaled 0 → N → 0."
    })
public final class SchedulerBench implements Callable<Integer> {

  @Option(
      names = "--nodes",
      defaultValue = "5000",
      description = "API-only nodes of the throughput part (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--pods",
      defaultValue = "10000",
      description = "Pending pods of the first throughput round (default ${DEFAULT-VALUE}).")
  int pods;

  @Option(
      names = "--more-pods",
      defaultValue = "30000",
      description =
          "Pending pods of the second round, added to the first, 0 to skip it"
              + " (default ${DEFAULT-VALUE}).")
  int morePods;

  @Option(
      names = "--run-nodes",
      defaultValue = "1000",
      description =
          "Simulated nodes of the Running and Deployment parts (default ${DEFAULT-VALUE}).")
  int runNodes;

  @Option(
      names = "--run-pods",
      defaultValue = "10000",
      description = "Pods timed until Running on the simulated nodes (default ${DEFAULT-VALUE}).")
  int runPods;

  @Option(
      names = "--deployment-replicas",
      defaultValue = "1000",
      description = "The Deployment's replicas when scaled up (default ${DEFAULT-VALUE}).")
  int deploymentReplicas;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "The longest wait for any one stage, e.g. 90s, 10m (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--metrics-period",
      defaultValue = "60s",
      description =
          "How often the simulated nodes publish their pods' metrics (keelson agent"
              + " --metrics-period; default ${DEFAULT-VALUE}; the agent's own default is 10s).")
  String metricsPeriod;

  @Option(names = "--skip-throughput", description = "Skip the throughput part.")
  boolean skipThroughput;

  @Option(names = "--skip-running", description = "Skip the pods timed until Running.")
  boolean skipRunning;

  @Option(names = "--skip-deployment", description = "Skip the Deployment scaled up and down.")
  boolean skipDeployment;

  @Option(names = "--keelson-jar", description = "Default: cli/target/keelson.jar of this tree.")
  Path keelsonJar;

  @Override
  public Integer call() throws Exception {
    Path jar = keelsonJar != null ? keelsonJar : KeelsonProcess.defaultJar();
    Path dir = Files.createTempDirectory("keelson-scheduler-bench-");
    System.out.printf(
        Locale.ROOT,
        "Keelson scheduler benchmark: %d cores, %,d MiB of memory, data in %s%n",
        Runtime.getRuntime().availableProcessors(),
        machineMemoryMib(),
        dir);
    Report report = new Report();
    try {
      if (!skipThroughput) {
        Throughput.run(
            jar,
            dir.resolve("throughput"),
            new Throughput.Plan(nodes, pods, morePods, timeout),
            report);
      }
      if (!skipRunning || !skipDeployment) {
        try (SimulatedCluster simulated =
            SimulatedCluster.start(
                jar, dir.resolve("simulated"), runNodes, metricsPeriod, timeout, report)) {
          if (!skipRunning) {
            TimeToRunning.run(simulated, runPods, timeout, report);
          }
          if (!skipDeployment) {
            DeploymentScale.run(simulated, deploymentReplicas, timeout, report);
          }
        }
      }
    } finally {
      System.out.print('\n' + report.render());
      deleteRecursively(dir);
    }
    return 0;
  }

  /** "10m", "90s", "1h30m". */
  static String format(Duration duration) {
    String text = duration.toString().substring(2).toLowerCase(Locale.ROOT);
    return text.replaceAll("(\\d)\\.0+s", "$1s");
  }

  private static long machineMemoryMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (Exception e) {
      // Only for the heading.
    }
    return -1;
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // A temporary directory left behind is harmless.
    }
  }

  /** A duration as Go writes it: 500ms, 90s, 10m, 1h30m. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
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
            "'" + value + "' is not a duration (for example 90s, 10m, 1h)");
      }
      return total;
    }
  }
}
