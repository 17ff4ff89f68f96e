package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.apiserver.security.Kubeconfig;
import dev.keelson.nodeagent.pod.ConfigSource;
import dev.keelson.nodeagent.pod.PodContainers;
import dev.keelson.nodeagent.pod.PodPlan;
import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.docker.DockerRuntime;
import dev.keelson.nodeagent.server.AgentServer;
import dev.keelson.nodeagent.server.ApiTokenReviewer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An API server with a real node agent server beside it, on the real Docker engine: the Node object
 * says where the agent listens, and pods' containers run as the agent labels them. Everything this
 * fixture starts it removes again.
 */
final class NodeAgentFixture implements AutoCloseable {

  static final String IMAGE = "keelson/busybox:1";

  final ApiFixture api;
  final KubernetesClient client;
  final DockerRuntime runtime;
  final Path kubeconfig;
  private final Vertx vertx = Vertx.vertx();
  private final ApiTokenReviewer reviewer;
  private final AgentServer agent;
  private final List<String> containers = new ArrayList<>();

  private NodeAgentFixture(Path dir, DockerRuntime runtime) throws Exception {
    this.runtime = runtime;
    api = ApiFixture.start(dir);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(api.base())
            .withCaCertData(
                Base64.getEncoder()
                    .encodeToString(
                        api.certificates.caCertificatePem().getBytes(StandardCharsets.UTF_8)))
            .withOauthToken(api.token)
            .withNamespace("default")
            .withRequestRetryBackoffLimit(0)
            .build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    kubeconfig = dir.resolve("kubeconfig");
    Kubeconfig.write(
        kubeconfig, api.base(), api.certificates.caCertificatePem(), "admin", api.token);
    reviewer = new ApiTokenReviewer(vertx, client);
    agent = startAgent();
  }

  /** Starts another node agent server on the same runtime. */
  AgentServer startAgent() throws Exception {
    return AgentServer.start(vertx, "127.0.0.1", 0, runtime, reviewer)
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  /** The fixture, or empty when no Docker engine answers (allowed only outside CI). */
  static Optional<NodeAgentFixture> start(Path dir) throws Exception {
    DockerRuntime runtime;
    try {
      runtime = DockerRuntime.connect();
      runtime.version();
    } catch (RuntimeException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("a Docker engine is required with CI=true", e);
      }
      return Optional.empty();
    }
    return Optional.of(new NodeAgentFixture(dir, runtime));
  }

  int agentPort() {
    return agent.port();
  }

  /** Creates a Node whose agent is at 127.0.0.1:{@code port}. */
  void createNode(String name, int port) throws Exception {
    created(
        api.send(
            "POST",
            "/api/v1/nodes",
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\""
                + name
                + "\"},\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"},"
                + "{\"type\":\"Hostname\",\"address\":\""
                + name
                + "\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
                + port
                + "}}}}"));
  }

  /** Creates a pod in default on {@code node} (or unscheduled when null); answers it as stored. */
  JsonNode createPod(String name, String node, String containersJson) throws Exception {
    return created(
        api.send(
            "POST",
            "/api/v1/namespaces/default/pods",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name
                + "\"},\"spec\":{"
                + (node == null ? "" : "\"nodeName\":\"" + node + "\",")
                + "\"containers\":["
                + containersJson
                + "]}}"));
  }

  /** A container of a pod that runs {@code script} with /bin/sh. */
  static String container(String name, String script) {
    return "{\"name\":\""
        + name
        + "\",\"image\":\""
        + IMAGE
        + "\",\"command\":[\"/bin/sh\",\"-c\",\""
        + script
        + "\"]}";
  }

  /**
   * Runs the pod's first container as the agent would (its sandbox first, once), as instance number
   * {@code instance} with {@code env} added; answers the container's id.
   */
  String run(JsonNode pod, int instance, Map<String, String> env) {
    PodPlan plan = PodContainers.plan(pod, IMAGE, "127.0.0.1", "", NO_CONFIG);
    if (instance == 0) {
      containers.add(runtime.runSandbox(plan.sandbox()));
    }
    String sandbox =
        runtime
            .list(
                Map.of(
                    PodContainers.POD_UID,
                    pod.path("metadata").path("uid").asText(),
                    PodContainers.CONTAINER,
                    PodContainers.SANDBOX))
            .get(0)
            .id();
    ContainerSpec spec = plan.containers().get(0);
    Map<String, String> environment = new HashMap<>(spec.env());
    environment.putAll(env);
    String id =
        runtime.createContainer(
            sandbox,
            new ContainerSpec(
                spec.name() + "_" + instance,
                spec.image(),
                spec.command(),
                spec.args(),
                spec.workingDir(),
                environment,
                spec.labels(),
                spec.memoryBytes(),
                spec.nanoCpus(),
                spec.mounts()));
    containers.add(id);
    runtime.start(id);
    return id;
  }

  private static JsonNode created(HttpResponse<String> response) throws Exception {
    if (response.statusCode() != 201) {
      throw new AssertionError("not created: " + response.body());
    }
    return ApiFixture.json(response);
  }

  private static final ConfigSource NO_CONFIG =
      new ConfigSource() {
        @Override
        public Optional<Map<String, String>> configMap(String namespace, String name) {
          return Optional.empty();
        }

        @Override
        public Optional<Map<String, String>> secret(String namespace, String name) {
          return Optional.empty();
        }
      };

  @Override
  public void close() throws Exception {
    containers.forEach(runtime::remove);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client.close();
    runtime.close();
    api.close();
  }
}
