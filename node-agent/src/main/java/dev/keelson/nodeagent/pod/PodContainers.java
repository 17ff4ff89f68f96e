package dev.keelson.nodeagent.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Quantity;
import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.PortMapping;
import dev.keelson.nodeagent.runtime.SandboxSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The containers a pod asks for, as the runtime runs them: a pure function of the pod, the node's
 * address, the pod's IP once known, and what its environment reads of the cluster (ConfigMaps,
 * Secrets, the variables of its Services). Every container is labelled with the pod's uid,
 * namespace and name and its own name, so that an agent that restarts adopts what it already runs.
 */
public final class PodContainers {

  public static final String POD_UID = "keelson.dev/pod-uid";
  public static final String POD_NAMESPACE = "keelson.dev/pod-namespace";
  public static final String POD_NAME = "keelson.dev/pod-name";
  public static final String CONTAINER = "keelson.dev/container";

  /** The node whose agent made the container, so that agents sharing a host keep apart. */
  public static final String NODE = "keelson.dev/node";

  /** The name the sandbox carries in {@link #CONTAINER}, as upstream's runtimes name it. */
  public static final String SANDBOX = "POD";

  private PodContainers() {}

  /**
   * The plan for {@code pod}.
   *
   * @param sandboxImage the image the sandbox runs
   * @param hostIp the node address ports are published on
   * @param podIp the pod's IP for status.podIP references, or "" before the sandbox runs
   * @throws IllegalArgumentException when the environment names a ConfigMap, Secret or key that is
   *     not there and is not optional (upstream's CreateContainerConfigError), with the reason
   */
  public static PodPlan plan(
      JsonNode pod, String sandboxImage, String hostIp, String podIp, ConfigSource config) {
    Map<String, String> podLabels = podLabels(pod);
    Facts facts =
        new Facts(
            pod,
            podIp,
            config,
            config.serviceEnvironment(
                pod.path("metadata").path("namespace").asText(),
                pod.path("spec").path("enableServiceLinks").asBoolean(true)));
    JsonNode spec = pod.path("spec");
    return new PodPlan(
        sandbox(pod, sandboxImage, hostIp),
        containers(spec.path("initContainers"), podLabels, facts),
        containers(spec.path("containers"), podLabels, facts));
  }

  /** The pod's sandbox alone: it needs none of the ConfigMaps and Secrets the containers read. */
  public static SandboxSpec sandbox(JsonNode pod, String sandboxImage, String hostIp) {
    JsonNode metadata = pod.path("metadata");
    List<PortMapping> ports = new ArrayList<>();
    for (JsonNode container : pod.path("spec").path("containers")) {
      for (JsonNode port : container.path("ports")) {
        ports.add(
            new PortMapping(
                port.path("containerPort").asInt(),
                port.path("protocol").asText("TCP"),
                port.path("hostIP").asText(hostIp),
                port.path("hostPort").asInt(0)));
      }
    }
    return new SandboxSpec(
        runtimeName(
            SANDBOX,
            metadata.path("name").asText(),
            metadata.path("namespace").asText(),
            metadata.path("uid").asText()),
        sandboxImage,
        with(podLabels(pod), CONTAINER, SANDBOX),
        ports);
  }

  private static Map<String, String> podLabels(JsonNode pod) {
    JsonNode metadata = pod.path("metadata");
    return Map.of(
        POD_UID,
        metadata.path("uid").asText(),
        POD_NAMESPACE,
        metadata.path("namespace").asText(),
        POD_NAME,
        metadata.path("name").asText(),
        NODE,
        pod.path("spec").path("nodeName").asText());
  }

  /** The runtime's name of a container of a pod, as upstream's Docker runtime named them. */
  public static String runtimeName(String container, String pod, String namespace, String uid) {
    return "k8s_" + container + "_" + pod + "_" + namespace + "_" + uid;
  }

  /**
   * @param services the variables of the Services the pod is told of
   */
  private record Facts(
      JsonNode pod, String podIp, ConfigSource config, Map<String, String> services) {}

  private static List<ContainerSpec> containers(
      JsonNode list, Map<String, String> podLabels, Facts facts) {
    List<ContainerSpec> specs = new ArrayList<>();
    JsonNode metadata = facts.pod().path("metadata");
    for (JsonNode container : list) {
      String name = container.path("name").asText();
      JsonNode limits = container.path("resources").path("limits");
      specs.add(
          new ContainerSpec(
              runtimeName(
                  name,
                  metadata.path("name").asText(),
                  metadata.path("namespace").asText(),
                  metadata.path("uid").asText()),
              container.path("image").asText(),
              strings(container.path("command")),
              strings(container.path("args")),
              container.path("workingDir").asText(""),
              environment(container, facts),
              with(podLabels, CONTAINER, name),
              Quantity.parse(limits.get("memory")).map(BigDecimal::longValue).orElse(null),
              Quantity.parse(limits.get("cpu"))
                  .map(cpu -> cpu.multiply(BigDecimal.valueOf(1_000_000_000L)).longValue())
                  .orElse(null),
              List.of()));
    }
    return specs;
  }

  /**
   * envFrom first, then env, later entries winning, then the Services' variables the container does
   * not set itself, as upstream builds a container's env.
   */
  private static Map<String, String> environment(JsonNode container, Facts facts) {
    String namespace = facts.pod().path("metadata").path("namespace").asText();
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      String prefix = from.path("prefix").asText("");
      boolean secret = from.has("secretRef");
      JsonNode ref = secret ? from.path("secretRef") : from.path("configMapRef");
      Optional<Map<String, String>> data = source(facts, namespace, ref, secret);
      if (data.isEmpty() && !ref.path("optional").asBoolean(false)) {
        throw new IllegalArgumentException(
            (secret ? "secret \"" : "configmap \"") + ref.path("name").asText() + "\" not found");
      }
      data.ifPresent(values -> values.forEach((k, v) -> env.put(prefix + k, v)));
    }
    for (JsonNode variable : container.path("env")) {
      String name = variable.path("name").asText();
      if (variable.has("valueFrom")) {
        value(variable.path("valueFrom"), facts, namespace).ifPresent(v -> env.put(name, v));
      } else {
        env.put(name, variable.path("value").asText(""));
      }
    }
    facts.services().forEach(env::putIfAbsent);
    return env;
  }

  private static Optional<String> value(JsonNode from, Facts facts, String namespace) {
    if (from.has("fieldRef")) {
      String path = from.path("fieldRef").path("fieldPath").asText();
      JsonNode pod = facts.pod();
      return Optional.of(
          switch (path) {
            case "metadata.name" -> pod.path("metadata").path("name").asText();
            case "metadata.namespace" -> namespace;
            case "metadata.uid" -> pod.path("metadata").path("uid").asText();
            case "spec.nodeName" -> pod.path("spec").path("nodeName").asText();
            case "spec.serviceAccountName" -> pod.path("spec").path("serviceAccountName").asText();
            case "status.podIP" -> facts.podIp();
            case "status.hostIP" -> pod.path("status").path("hostIP").asText();
            default -> throw new IllegalArgumentException("unsupported fieldPath " + path);
          });
    }
    boolean secret = from.has("secretKeyRef");
    JsonNode ref = secret ? from.path("secretKeyRef") : from.path("configMapKeyRef");
    if (ref.isMissingNode()) {
      throw new IllegalArgumentException("unsupported valueFrom " + from);
    }
    String key = ref.path("key").asText();
    boolean optional = ref.path("optional").asBoolean(false);
    Optional<Map<String, String>> data = source(facts, namespace, ref, secret);
    if (data.isEmpty() && !optional) {
      // As upstream, whose error is the API's NotFound for the object itself.
      throw new IllegalArgumentException(
          (secret ? "secret \"" : "configmap \"") + ref.path("name").asText() + "\" not found");
    }
    Optional<String> value = data.map(values -> values.get(key));
    if (value.isEmpty() && !optional) {
      throw new IllegalArgumentException(
          "couldn't find key "
              + key
              + " in "
              + (secret ? "Secret " : "ConfigMap ")
              + namespace
              + "/"
              + ref.path("name").asText());
    }
    return value;
  }

  private static Optional<Map<String, String>> source(
      Facts facts, String namespace, JsonNode ref, boolean secret) {
    String name = ref.path("name").asText();
    return secret
        ? facts.config().secret(namespace, name)
        : facts.config().configMap(namespace, name);
  }

  private static List<String> strings(JsonNode list) {
    List<String> values = new ArrayList<>();
    list.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> all = new LinkedHashMap<>(labels);
    all.put(key, value);
    return all;
  }
}
