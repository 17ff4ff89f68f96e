package dev.keelson.proxy;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A proxy on this host, reaching the cluster through the API with its own credentials: the client,
 * and the {@link ProxyVerticle} deployed on the given Vert.x.
 */
public final class ProxyProcess implements AutoCloseable {

  /**
   * The interface of Docker's default bridge, whose address the pods of this host route through.
   */
  public static final String DOCKER_BRIDGE = "docker0";

  /**
   * How to start.
   *
   * @param caPem the PEM of the CA that signed the API's certificate, or null to trust any
   * @param podGateway where this host's pods reach the proxy, or null for nowhere
   */
  public record Options(
      String server,
      String token,
      String caPem,
      String nodeIp,
      String podGateway,
      String metricsHost,
      int metricsPort) {}

  private final Vertx vertx;
  private final KubernetesClient client;
  private final ProxyVerticle verticle;
  private String deployment;

  private ProxyProcess(Vertx vertx, KubernetesClient client, ProxyVerticle verticle) {
    this.vertx = vertx;
    this.client = client;
    this.verticle = verticle;
  }

  /** Starts the proxy, or fails with why (the API refusing the token, an address taken...). */
  public static ProxyProcess start(Vertx vertx, Options options) throws Exception {
    KubernetesClient client = client(options);
    try {
      // One plain request first, so an API that cannot be reached or refuses the token is one
      // clear message rather than watches failing in the background.
      client.services().inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build());
    } catch (KubernetesClientException e) {
      client.close();
      throw new IllegalStateException(
          "cannot list Services through the API at " + options.server() + ": " + reason(e));
    }
    ServiceProxy.Settings settings =
        new ServiceProxy.Settings(
            options.nodeIp(),
            options.podGateway(),
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            Duration.ofSeconds(3));
    ProxyVerticle verticle =
        new ProxyVerticle(client, settings, options.metricsHost(), options.metricsPort());
    ProxyProcess process = new ProxyProcess(vertx, client, verticle);
    try {
      process.deployment =
          vertx
              .deployVerticle(verticle)
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      return process;
    } catch (Exception | Error e) {
      process.close();
      throw e;
    }
  }

  private static String reason(KubernetesClientException e) {
    if (e.getCode() > 0) {
      return e.getCode()
          + " "
          + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
    }
    Throwable root = e;
    while (root.getCause() != null) {
      if (root.getCause() instanceof java.net.ConnectException) {
        return "connection refused";
      }
      root = root.getCause();
    }
    return root.getMessage() == null
        ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /**
   * The IPv4 address of Docker's default bridge on this host, where its containers reach the host,
   * or null when there is none.
   */
  public static String dockerBridgeAddress() {
    try {
      NetworkInterface bridge = NetworkInterface.getByName(DOCKER_BRIDGE);
      if (bridge == null) {
        return null;
      }
      return bridge
          .inetAddresses()
          .filter(a -> a instanceof Inet4Address)
          .map(InetAddress::getHostAddress)
          .findFirst()
          .orElse(null);
    } catch (SocketException e) {
      return null;
    }
  }

  private static KubernetesClient client(Options options) {
    ConfigBuilder config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(options.server())
            .withOauthToken(options.token())
            .withRequestTimeout(30_000)
            .withConnectionTimeout(10_000);
    if (options.caPem() == null) {
      config.withTrustCerts(true);
    } else {
      config.withCaCertData(
          Base64.getEncoder().encodeToString(options.caPem().getBytes(StandardCharsets.UTF_8)));
    }
    return new KubernetesClientBuilder().withConfig(config.build()).build();
  }

  public ServiceProxy proxy() {
    return verticle.proxy();
  }

  /** Where {@code /metrics} is served. */
  public int metricsPort() {
    return verticle.metricsPort();
  }

  @Override
  public void close() {
    if (deployment != null) {
      try {
        vertx
            .undeploy(deployment)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Stopping anyway: the listeners go with the process.
      }
    }
    client.close();
  }
}
