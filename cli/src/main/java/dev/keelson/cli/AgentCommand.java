package dev.keelson.cli;

import dev.keelson.api.Quantity;
import dev.keelson.nodeagent.agent.AgentProcess;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keelson agent}: a node agent on this host, talking to the API of a Keelson elsewhere. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a node agent: registers this host as a Node, renews its Lease, and runs the pods bound"
          + " to it as Docker containers. It talks to the Kubernetes API only, never to Kafka.",
      "With --simulate N, runs N simulated nodes instead, whose containers only pretend."
    })
final class AgentCommand implements Callable<Integer> {

  @Mixin ApiAccessOptions api = new ApiAccessOptions();

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description = "The Node's name (default: this host's name, lower-cased).")
  String nodeName;

  @Option(
      names = "--node-ip",
      paramLabel = "IP",
      description =
          "The node's address: pods' ports are published on it (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String nodeIp;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "The agent's own HTTPS port, for logs (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1:10250",
      converter = Listen.Converter.class)
  Listen listen;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the pods' volumes live (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.keelson-agent")
  Path dataDir;

  @Option(names = "--cpu", paramLabel = "QUANTITY", description = "CPU capacity, e.g. 4 or 3500m.")
  String cpu;

  @Option(names = "--memory", paramLabel = "QUANTITY", description = "Memory capacity, e.g. 8Gi.")
  String memory;

  @Option(names = "--max-pods", paramLabel = "N", description = "Pod capacity (default: 110).")
  Integer pods;

  @Option(
      names = "--node-labels",
      paramLabel = "KEY=VALUE",
      split = ",",
      description = "Labels of the Node beside the well-known ones.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--simulate",
      paramLabel = "N",
      description = "Run N simulated nodes named NAME-0 ... NAME-(N-1).",
      defaultValue = "0")
  int simulate;

  @Option(
      names = "--simulated-start-delay",
      paramLabel = "DURATION",
      description = "How long a simulated container takes to run, e.g. 500ms (default: 1s).",
      defaultValue = "1s")
  String startDelay;

  @Option(
      names = "--metrics-period",
      paramLabel = "DURATION",
      description =
          "How often the usage of each node's pods is published as PodMetrics and NodeMetrics"
              + " (default: ${DEFAULT-VALUE}). Every pod is one write a period: with thousands of"
              + " simulated pods, a longer period keeps the API for the rest.",
      defaultValue = "10s")
  String metricsPeriod;

  @Override
  public Integer call() throws Exception {
    AgentProcess.Options options = options();
    Vertx vertx = Vertx.vertx();
    AgentProcess agent;
    try {
      agent = AgentProcess.start(vertx, options);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  vertx
                      .close()
                      .toCompletionStage()
                      .toCompletableFuture()
                      .orTimeout(5, TimeUnit.SECONDS);
                  stopped.countDown();
                },
                "keelson-agent-stop"));
    System.out.println(
        "Keelson node agent is up: "
            + (simulate > 0 ? simulate + " simulated nodes" : "node " + agent.nodeNames().get(0))
            + ", logs on https://"
            + listen.host()
            + ":"
            + agent.port()
            + "\nStop with Ctrl-C.");
    stopped.await();
    return 0;
  }

  AgentProcess.Options options() throws Exception {
    if (simulate < 0) {
      throw new IllegalArgumentException("--simulate must be 0 or more, got " + simulate);
    }
    String name =
        nodeName != null ? nodeName : InetAddress.getLocalHost().getHostName().toLowerCase();
    return new AgentProcess.Options(
        api.server(),
        api.token(),
        api.caPem(),
        name,
        nodeIp,
        dataDir.toAbsolutePath(),
        listen.host(),
        listen.port(),
        simulate,
        duration(startDelay),
        cpu == null ? null : quantity(cpu, "--cpu").multiply(BigDecimal.valueOf(1000)).longValue(),
        memory == null ? null : quantity(memory, "--memory").longValue(),
        pods,
        labels,
        metrics(duration(metricsPeriod)));
  }

  private static java.util.function.UnaryOperator<dev.keelson.nodeagent.agent.AgentSettings>
      metrics(Duration period) {
    if (period.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--metrics-period must be 1s or more, got " + period);
    }
    return settings -> settings.withMetricsPeriod(period);
  }

  private static BigDecimal quantity(String text, String flag) {
    return Quantity.parse(text)
        .orElseThrow(() -> new IllegalArgumentException(flag + ": not a quantity: '" + text + "'"));
  }

  static Duration duration(String text) {
    String t = text.trim();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(
            (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 500ms or 2s)");
  }
}
