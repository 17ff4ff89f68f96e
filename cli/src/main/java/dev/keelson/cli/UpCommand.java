package dev.keelson.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keelson up}: the whole control plane in one process. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts Keelson: an embedded Kafka broker (unless --kafka), the projection of the change"
          + " log, and the health endpoints. Stops cleanly on Ctrl-C or SIGTERM."
    })
final class UpCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where Keelson keeps its data (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.keelson")
  Path dataDir;

  @Option(
      names = "--kafka",
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      description =
          "An external Kafka cluster to use instead of the embedded broker"
              + " (default: the KEELSON_KAFKA environment variable).",
      defaultValue = "${env:KEELSON_KAFKA}")
  String kafka;

  @Option(
      names = "--kafka-listen",
      paramLabel = "HOST:PORT",
      description = "Where the embedded broker listens for clients (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1:19092",
      converter = Listen.Converter.class)
  Listen kafkaListen;

  @Option(
      names = "--health-listen",
      paramLabel = "HOST:PORT",
      description = "Where /healthz and /readyz are served (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1:10260",
      converter = Listen.Converter.class)
  Listen healthListen;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Where the Kubernetes API is served over HTTPS (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1:6443",
      converter = Listen.Converter.class)
  Listen apiListen;

  @Option(
      names = "--agent-listen",
      paramLabel = "HOST:PORT",
      description =
          "Where the local node agent serves logs over HTTPS (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1:10250",
      converter = Listen.Converter.class)
  Listen agentListen;

  @Option(
      names = "--node-ip",
      paramLabel = "IP",
      description =
          "The local node's address; pods' ports are published on it (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String nodeIp;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description = "The local node's name (default: this host's name, lower-cased).")
  String nodeName;

  @Option(
      names = "--no-agent",
      description = "Run no node agent on this host (the control plane only).")
  boolean noAgent;

  @Option(names = "--no-proxy", description = "Run no Service proxy on this host.")
  boolean noProxy;

  @Option(
      names = "--proxy-metrics-listen",
      paramLabel = "HOST:PORT",
      description = "Where the local proxy serves /metrics (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1:10249",
      converter = Listen.Converter.class)
  Listen proxyMetricsListen;

  @Option(
      names = "--pod-gateway",
      paramLabel = "IP|auto|none",
      description =
          "Where this host's pods reach the proxy: the pods' network gateway; auto takes the"
              + " address of Docker's docker0 bridge (default: ${DEFAULT-VALUE}).",
      defaultValue = "auto")
  String podGateway;

  @Option(
      names = "--no-controllers",
      description =
          "Run no controller manager in this process (run keelson controllers elsewhere).")
  boolean noControllers;

  @Option(
      names = "--no-scheduler",
      description = "Run no scheduler in this process (run keelson scheduler elsewhere).")
  boolean noScheduler;

  @Mixin ControlOptions control = new ControlOptions();

  @Mixin ServiceOptions services = new ServiceOptions();

  @Override
  public Integer call() throws Exception {
    ControlPlane.Config config =
        new ControlPlane.Config(
            dataDir.toAbsolutePath(),
            kafka == null || kafka.isBlank() ? null : kafka.trim(),
            kafkaListen,
            healthListen,
            apiListen,
            noAgent ? null : agentListen,
            noProxy ? null : proxyMetricsListen,
            ProxyCommand.podGateway(podGateway),
            nodeIp,
            nodeName,
            control.settings(),
            services.ranges(),
            !noControllers,
            !noScheduler);
    ControlPlane plane = ControlPlane.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Keelson is stopping");
                  plane.close();
                  System.out.println("Keelson stopped");
                  stopped.countDown();
                },
                "keelson-stop"));
    System.out.print(plane.describe());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
