package dev.keelson.bench.proxy;

import dev.keelson.bench.agent.Cluster;
import dev.keelson.bench.agent.DockerCli;
import dev.keelson.bench.api.KeelsonProcess;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The proxy benchmark: request/response round trips over keep-alive connections to one pod,
 * straight to the pod and through its Service's cluster IP (Keelson's proxy), in the same run.
 */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = {
      "Round trips/s and latency over N keep-alive connections to an echo pod: straight to the"
          + " pod's IP, to the host port Docker publishes for it (the endpoint the proxy uses),"
          + " and through the Service's cluster IP (Keelson's proxy)."
    })
public final class ProxyBench implements Callable<Integer> {

  private static final String NAMESPACE = "bench-proxy";

  @Option(
      names = "--connections",
      defaultValue = "64",
      description = "Concurrent keep-alive connections (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--seconds",
      defaultValue = "15",
      description = "Measured seconds per target (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "5",
      description = "Unmeasured seconds per target first (default ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--message-bytes",
      defaultValue = "128",
      description = "Bytes of each request, echoed back (default ${DEFAULT-VALUE}).")
  int messageBytes;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description = "Times each target is measured, interleaved (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--keelson-jar", description = "Default: cli/target/keelson.jar of this tree.")
  Path keelsonJar;

  private record Target(String name, String host, int port) {}

  @Override
  public Integer call() throws Exception {
    String problem = DockerCli.problem();
    if (problem != null) {
      System.err.println(problem);
      return 2;
    }
    Path jar = keelsonJar != null ? keelsonJar : KeelsonProcess.defaultJar();
    Path dir = Files.createTempDirectory("keelson-proxy-bench-");
    System.out.printf(
        Locale.ROOT,
        "Keelson proxy benchmark: %d connections, %d-byte echo round trips, %.0f s per target and"
            + " round, %d rounds, %d cores%n",
        connections,
        messageBytes,
        seconds,
        rounds,
        Runtime.getRuntime().availableProcessors());
    try (Cluster cluster = Cluster.up(jar, dir.resolve("data"), true)) {
      List<Target> targets = deploy(cluster.client);
      List<List<EchoLoad.Result>> results = new ArrayList<>();
      targets.forEach(t -> results.add(new ArrayList<>()));
      for (Target target : targets) {
        System.out.println(
            "warming up " + target.name() + " (" + target.host() + ":" + target.port() + ")");
        EchoLoad.run(target.host(), target.port(), connections, messageBytes, warmupSeconds);
      }
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < targets.size(); i++) {
          Target target = targets.get(i);
          EchoLoad.Result result =
              EchoLoad.run(target.host(), target.port(), connections, messageBytes, seconds);
          System.out.printf(
              Locale.ROOT, "round %d %s: %,.0f/s%n", round + 1, target.name(), result.perSecond());
          results.get(i).add(result);
          if (result.firstError() != null) {
            System.out.printf(
                Locale.ROOT,
                "  %d connections broke, the first: %s%n",
                result.errors(),
                result.firstError());
          }
        }
      }
      System.out.print(render(targets, results));
    } finally {
      deleteRecursively(dir);
    }
    return 0;
  }

  /** The echo pod and its Service; the targets once the proxy has its endpoint. */
  private List<Target> deploy(KubernetesClient client) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (client.nodes().list().getItems().stream()
        .noneMatch(
            n ->
                n.getStatus() != null
                    && n.getStatus().getConditions().stream()
                        .anyMatch(
                            c -> c.getType().equals("Ready") && c.getStatus().equals("True")))) {
      waitOrFail(deadline, "no Ready node: is the Docker engine running?");
    }
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("echo")
            .withNamespace(NAMESPACE)
            .addToLabels("app", "echo")
            .endMetadata()
            .withNewSpec()
            .withTerminationGracePeriodSeconds(1L)
            .addNewContainer()
            .withName("echo")
            .withImage(DockerCli.IMAGE)
            .withCommand("nc", "-ll", "-p", "8080", "-e", "cat")
            .addNewPort()
            .withContainerPort(8080)
            .endPort()
            .withNewReadinessProbe()
            .withNewTcpSocket()
            .withPort(new IntOrString(8080))
            .endTcpSocket()
            .withPeriodSeconds(1)
            .endReadinessProbe()
            .endContainer()
            .endSpec()
            .build();
    client.pods().resource(pod).create();
    Service service =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("echo")
            .withNamespace(NAMESPACE)
            .endMetadata()
            .withNewSpec()
            .addToSelector("app", "echo")
            .addNewPort()
            .withPort(80)
            .withTargetPort(new IntOrString(8080))
            .endPort()
            .endSpec()
            .build();
    client.services().resource(service).create();
    while (true) {
      Endpoints endpoints = client.endpoints().inNamespace(NAMESPACE).withName("echo").get();
      Pod running = client.pods().inNamespace(NAMESPACE).withName("echo").get();
      Service created = client.services().inNamespace(NAMESPACE).withName("echo").get();
      boolean ready =
          endpoints != null
              && endpoints.getSubsets() != null
              && !endpoints.getSubsets().isEmpty()
              && endpoints.getSubsets().get(0).getAddresses() != null
              && !endpoints.getSubsets().get(0).getAddresses().isEmpty();
      String clusterIp = created.getSpec().getClusterIP();
      if (ready && clusterIp != null && !clusterIp.isEmpty() && proxyAnswers(clusterIp)) {
        var address = endpoints.getSubsets().get(0).getAddresses().get(0);
        int hostPort = endpoints.getSubsets().get(0).getPorts().get(0).getPort();
        return List.of(
            new Target("pod IP (straight to the pod)", running.getStatus().getPodIP(), 8080),
            new Target("endpoint (Docker's published port)", address.getIp(), hostPort),
            new Target("Service cluster IP (Keelson proxy)", clusterIp, 80));
      }
      waitOrFail(deadline, "the echo pod and its Service were not ready within 3 minutes");
    }
  }

  private boolean proxyAnswers(String clusterIp) {
    try {
      EchoLoad.run(clusterIp, 80, 1, messageBytes, 0.1);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static void waitOrFail(long deadline, String message) throws InterruptedException {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(message);
    }
    Thread.sleep(500);
  }

  private String render(List<Target> targets, List<List<EchoLoad.Result>> results) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n%-38s %12s %9s %9s %9s %9s %7s%n",
            "target",
            "requests/s",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms",
            "errors"));
    double[] rates = new double[targets.size()];
    double[] p99s = new double[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      long requests = 0;
      double time = 0;
      long errors = 0;
      org.HdrHistogram.Histogram all = new org.HdrHistogram.Histogram(60_000_000_000L, 3);
      for (EchoLoad.Result r : results.get(i)) {
        requests += r.requests();
        time += r.seconds();
        errors += r.errors();
        all.add(r.latencies());
      }
      rates[i] = requests / time;
      p99s[i] = all.getValueAtPercentile(99) / 1e6;
      out.append(
          String.format(
              Locale.ROOT,
              "%-38s %,12.0f %9.3f %9.3f %9.3f %9.3f %7d%n",
              targets.get(i).name(),
              rates[i],
              all.getValueAtPercentile(50) / 1e6,
              p99s[i],
              all.getValueAtPercentile(99.9) / 1e6,
              all.getMaxValue() / 1e6,
              errors));
    }
    int proxy = targets.size() - 1;
    for (int base = 0; base < proxy; base++) {
      out.append(
          String.format(
              Locale.ROOT,
              "proxy vs %-29s throughput %5.1f %%, p99 %+.3f ms%n",
              targets.get(base).name().replaceAll(" \\(.*", ""),
              100 * rates[proxy] / rates[base],
              p99s[proxy] - p99s[base]));
    }
    out.append("goal: >= 70 % of direct throughput and <= 1 ms added at p99\n");
    return out.toString();
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // A temporary directory left behind is harmless.
    }
  }
}
