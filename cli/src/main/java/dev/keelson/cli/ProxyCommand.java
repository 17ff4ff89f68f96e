package dev.keelson.cli;

import dev.keelson.proxy.ProxyProcess;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keelson proxy}: the Service proxy of this host, talking to the API of a Keelson. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Service proxy of this host: listens on every Service's cluster IP and port (and on"
          + " the node's address at NodePorts) and balances each connection over the ready"
          + " endpoints. It watches Services and Endpoints through the Kubernetes API only."
    })
final class ProxyCommand implements Callable<Integer> {

  @Mixin ApiAccessOptions api = new ApiAccessOptions();

  @Option(
      names = "--node-ip",
      paramLabel = "IP",
      description = "The node's address: NodePorts listen on it (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String nodeIp;

  @Option(
      names = "--metrics-listen",
      paramLabel = "HOST:PORT",
      description = "Where /metrics and /healthz are served (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1:10249",
      converter = Listen.Converter.class)
  Listen metricsListen;

  @Option(
      names = "--pod-gateway",
      paramLabel = "IP|auto|none",
      description =
          "Where this host's pods reach the proxy: the pods' network gateway; auto takes the"
              + " address of Docker's docker0 bridge (default: ${DEFAULT-VALUE}).",
      defaultValue = "auto")
  String podGateway;

  @Override
  public Integer call() throws Exception {
    ProxyProcess.Options options =
        new ProxyProcess.Options(
            api.server(),
            api.token(),
            api.caPem(),
            address(nodeIp, "--node-ip"),
            podGateway(podGateway),
            metricsListen.host(),
            metricsListen.port());
    Vertx vertx = Vertx.vertx();
    ProxyProcess proxy;
    try {
      proxy = ProxyProcess.start(vertx, options);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  proxy.close();
                  vertx
                      .close()
                      .toCompletionStage()
                      .toCompletableFuture()
                      .orTimeout(5, TimeUnit.SECONDS);
                  stopped.countDown();
                },
                "keelson-proxy-stop"));
    System.out.println(
        "Keelson proxy is up: metrics on http://"
            + metricsListen.host()
            + ":"
            + proxy.metricsPort()
            + "/metrics"
            + (options.podGateway() == null
                ? ", pods reach no Service (no pod gateway)"
                : ", pods reach it at " + options.podGateway())
            + "\nStop with Ctrl-C.");
    stopped.await();
    return 0;
  }

  /** The pod gateway a flag names: an address, Docker's bridge ("auto"), or none. */
  static String podGateway(String flag) {
    return switch (flag.trim()) {
      case "none", "" -> null;
      case "auto" -> ProxyProcess.dockerBridgeAddress();
      default -> address(flag.trim(), "--pod-gateway");
    };
  }

  private static String address(String ip, String flag) {
    if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      throw new IllegalArgumentException(flag + ": not an IP address: '" + ip + "'");
    }
    try {
      return InetAddress.getByName(ip).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(flag + ": not an IP address: '" + ip + "'");
    }
  }
}
