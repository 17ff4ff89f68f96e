package dev.keelson.bench.agent;

import dev.keelson.bench.api.KeelsonProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The node agent benchmark, in two parts that each start their own Keelson as child processes from
 * the cli jar: pod start latency on the Docker engine, and a thousand simulated nodes held by one
 * agent process.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Pod start latency through keelson up's node agent on Docker, then N simulated nodes"
          + " (keelson agent --simulate N): time to Ready, CPU, memory and Lease renewals."
    })
public final class AgentBench implements Callable<Integer> {

  @Option(
      names = "--pods",
      defaultValue = "50",
      description = "Pods to start on Docker (default ${DEFAULT-VALUE}).")
  int pods;

  @Option(
      names = "--rate",
      defaultValue = "5",
      description = "Pod creates per second on Docker (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--nodes",
      defaultValue = "1000",
      description = "Simulated nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--seconds",
      defaultValue = "60",
      description = "The steady window with the simulated nodes (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--sim-pods",
      defaultValue = "0",
      description = "Pods to start on the simulated nodes, round-robin (default ${DEFAULT-VALUE}).")
  int simPods;

  @Option(
      names = "--sim-pod-rate",
      defaultValue = "50",
      description = "Pod creates per second on the simulated nodes (default ${DEFAULT-VALUE}).")
  double simPodRate;

  @Option(
      names = "--simulated-start-delay",
      defaultValue = "1s",
      description = "How long a simulated container takes to run (default ${DEFAULT-VALUE}).")
  String startDelay;

  @Option(names = "--skip-docker", description = "Skip the pod start latency on Docker.")
  boolean skipDocker;

  @Option(names = "--skip-simulated", description = "Skip the simulated nodes.")
  boolean skipSimulated;

  @Option(names = "--keelson-jar", description = "Default: cli/target/keelson.jar of this tree.")
  Path keelsonJar;

  @Override
  public Integer call() throws Exception {
    if (!skipDocker) {
      String problem = DockerCli.problem();
      if (problem != null) {
        System.err.println(problem);
        return 2;
      }
    }
    Path jar = keelsonJar != null ? keelsonJar : KeelsonProcess.defaultJar();
    Path dir = Files.createTempDirectory("keelson-agent-bench-");
    System.out.printf(
        Locale.ROOT,
        "Keelson node agent benchmark: %s%s, %d cores, data in %s%n",
        skipDocker ? "" : pods + " Docker pods at " + rate + "/s",
        skipSimulated ? "" : (skipDocker ? "" : "; ") + nodes + " simulated nodes",
        Runtime.getRuntime().availableProcessors(),
        dir);
    Report report = new Report();
    try {
      if (!skipDocker) {
        DockerPodStart.run(jar, dir.resolve("docker"), pods, rate, report);
      }
      if (!skipSimulated) {
        SimulatedScale.run(
            jar,
            dir.resolve("simulated"),
            new SimulatedScale.Plan(nodes, seconds, startDelay, simPods, simPodRate),
            report);
      }
    } finally {
      deleteRecursively(dir);
    }
    System.out.print(report.render());
    return 0;
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // A temporary directory left behind is harmless.
    }
  }
}
