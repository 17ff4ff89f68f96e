package dev.keelson.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.nodeagent.agent.AgentProcess;
import dev.keelson.nodeagent.pod.RestartBackoff;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's environment as the agent builds it: literal values, keys of ConfigMaps and Secrets,
 * facts of the pod itself (fieldRef), whole ConfigMaps under a prefix (envFrom); and a ConfigMap
 * that is missing holds the container in CreateContainerConfigError until it appears.
 */
@Timeout(120)
class PodEnvIT {

  @TempDir static Path dir;
  static Cluster cluster;
  static AgentProcess agent;
  static String node;

  @BeforeAll
  static void start() throws Exception {
    Engine.require();
    cluster = Cluster.start(dir);
    node = Cluster.uniqueNode("env");
    agent = cluster.agent(node, s -> s.withRestarts(RestartBackoff.standard().scaled(10)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.removePods(node);
      cluster.close();
    }
  }

  @Test
  void literalsConfigMapAndSecretKeysFieldsOfThePodAndPrefixedConfigMaps() {
    configMap("settings", Map.of("color", "blue"));
    configMap("bulk", Map.of("A", "1", "B", "two words"));
    cluster
        .client
        .secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .endMetadata()
                .addToData("password", base64("s3cret"))
                .build())
        .create();
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: env-all}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          volumes: [{name: out, emptyDir: {}}]
          containers:
          - name: app
            image: keelson/busybox:1
            command: [sh, -c, "env > /out/env; echo done >> /out/env; sleep 3600"]
            volumeMounts: [{name: out, mountPath: /out}]
            envFrom:
            - {prefix: BULK_, configMapRef: {name: bulk}}
            env:
            - {name: GREETING, value: hello}
            - {name: COLOR, valueFrom: {configMapKeyRef: {name: settings, key: color}}}
            - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
            - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
            - {name: POD_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
            - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
            - {name: NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
        """
            .formatted(node));
    Map<String, String> env = environment("env-all");
    String podIp = Pods.get(cluster.client, "env-all").getStatus().getPodIP();
    assertThat(podIp).isNotBlank();
    assertThat(env)
        .containsEntry("GREETING", "hello")
        .containsEntry("COLOR", "blue")
        .containsEntry("PASSWORD", "s3cret")
        .containsEntry("POD_NAME", "env-all")
        .containsEntry("POD_NAMESPACE", "default")
        .containsEntry("POD_IP", podIp)
        .containsEntry("NODE_NAME", node)
        .containsEntry("BULK_A", "1")
        .containsEntry("BULK_B", "two words")
        .doesNotContainKey("A");
  }

  @Test
  void aMissingConfigMapIsAConfigErrorUntilItIsCreated() {
    Pods.create(
        cluster.client,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: env-late}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 1
          volumes: [{name: out, emptyDir: {}}]
          containers:
          - name: app
            image: keelson/busybox:1
            command: [sh, -c, "env > /out/env; echo done >> /out/env; sleep 3600"]
            volumeMounts: [{name: out, mountPath: /out}]
            env:
            - {name: COLOR, valueFrom: {configMapKeyRef: {name: late-settings, key: color}}}
        """
            .formatted(node));
    ContainerStateWaiting waiting =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Pods.container(cluster.client, "env-late", "app")
                        .map(s -> s.getState().getWaiting())
                        .orElse(null),
                w -> w != null && "CreateContainerConfigError".equals(w.getReason()));
    assertThat(waiting.getMessage()).isEqualTo("configmap \"late-settings\" not found");
    assertThat(Pods.phase(cluster.client, "env-late")).isEqualTo("Pending");
    // The agent retries and fails again while the map is absent: the reason holds.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Pods.container(cluster.client, "env-late", "app")
                    .map(s -> s.getState().getWaiting())
                    .map(w -> w.getReason().equals("CreateContainerConfigError"))
                    .orElse(false));

    configMap("late-settings", Map.of("color", "green"));
    Map<String, String> env = environment("env-late");
    assertThat(env).containsEntry("COLOR", "green");
    assertThat(Pods.container(cluster.client, "env-late", "app").orElseThrow().getRestartCount())
        .isZero();
  }

  /** The environment the pod's container wrote once it ran. */
  private Map<String, String> environment(String pod) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "Running".equals(Pods.phase(cluster.client, pod)));
    String written =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> Pods.exec(agent.runtime(), node, pod, "app", "cat", "/out/env"),
                text -> text.contains("done\n"));
    return Pods.environment(written);
  }

  private void configMap(String name, Map<String, String> data) {
    cluster
        .client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withData(data)
                .build())
        .create();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
