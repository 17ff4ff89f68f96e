package dev.keelson.nodeagent.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.nodeagent.runtime.ContainerSpec;
import dev.keelson.nodeagent.runtime.PortMapping;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodContainersTest {

  private static final String POD =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, namespace: shop, uid: 1234-abcd}
      spec:
        nodeName: node-a
        initContainers:
        - {name: setup, image: "keelson/busybox:1", command: [sh, -c], args: ["echo ready"]}
        containers:
        - name: web
          image: keelson/busybox:1
          workingDir: /www
          ports:
          - {containerPort: 8080}
          - {containerPort: 9090, hostPort: 19090, protocol: UDP}
          resources:
            limits: {memory: 64Mi, cpu: 500m}
          envFrom:
          - {prefix: CFG_, configMapRef: {name: settings}}
          env:
          - {name: GREETING, value: hello}
          - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
          - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
          - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
          - {name: MODE, valueFrom: {configMapKeyRef: {name: settings, key: mode}}}
          - {name: PASSWORD, valueFrom: {secretKeyRef: {name: credentials, key: password}}}
          - {name: MAYBE, valueFrom: {secretKeyRef: {name: absent, key: x, optional: true}}}
          - {name: CFG_mode, value: overridden}
        - name: sidecar
          image: keelson/busybox:1
      """;

  private static final ConfigSource CONFIG =
      new ConfigSource() {
        @Override
        public Optional<Map<String, String>> configMap(String namespace, String name) {
          return namespace.equals("shop") && name.equals("settings")
              ? Optional.of(Map.of("mode", "fast", "level", "3"))
              : Optional.empty();
        }

        @Override
        public Optional<Map<String, String>> secret(String namespace, String name) {
          return namespace.equals("shop") && name.equals("credentials")
              ? Optional.of(Map.of("password", "s3cret"))
              : Optional.empty();
        }
      };

  private static JsonNode yaml(String text) throws IOException {
    return Json.yaml().readTree(text);
  }

  @Test
  void aPodBecomesASandboxWithItsPortsAndLabelledContainers() throws Exception {
    PodPlan plan =
        PodContainers.plan(yaml(POD), "keelson/busybox:1", "10.0.0.5", "10.0.0.5", CONFIG);

    assertThat(plan.sandbox().name()).isEqualTo("k8s_POD_web-1_shop_1234-abcd");
    assertThat(plan.sandbox().labels())
        .containsEntry(PodContainers.POD_UID, "1234-abcd")
        .containsEntry(PodContainers.CONTAINER, "POD");
    assertThat(plan.sandbox().ports())
        .containsExactly(
            new PortMapping(8080, "TCP", "10.0.0.5", 0),
            new PortMapping(9090, "UDP", "10.0.0.5", 19090));

    assertThat(plan.initContainers())
        .extracting(ContainerSpec::name)
        .containsExactly("k8s_setup_web-1_shop_1234-abcd");
    assertThat(plan.initContainers().get(0).command()).containsExactly("sh", "-c");
    assertThat(plan.initContainers().get(0).args()).containsExactly("echo ready");
    assertThat(plan.containers())
        .extracting(ContainerSpec::name)
        .containsExactly("k8s_web_web-1_shop_1234-abcd", "k8s_sidecar_web-1_shop_1234-abcd");

    ContainerSpec web = plan.containers().get(0);
    assertThat(web.labels())
        .containsEntry(PodContainers.POD_NAMESPACE, "shop")
        .containsEntry(PodContainers.POD_NAME, "web-1")
        .containsEntry(PodContainers.CONTAINER, "web");
    assertThat(web.workingDir()).isEqualTo("/www");
    assertThat(web.memoryBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(web.nanoCpus()).isEqualTo(500_000_000L);
    assertThat(web.env())
        .containsEntry("GREETING", "hello")
        .containsEntry("POD_NAME", "web-1")
        .containsEntry("POD_IP", "10.0.0.5")
        .containsEntry("NODE", "node-a")
        .containsEntry("MODE", "fast")
        .containsEntry("PASSWORD", "s3cret")
        .containsEntry("CFG_level", "3")
        .containsEntry("CFG_mode", "overridden")
        .doesNotContainKey("MAYBE");
    assertThat(plan.containers().get(1).memoryBytes()).isNull();
  }

  @Test
  void aMissingConfigMapOrKeyIsAConfigErrorUnlessOptional() throws Exception {
    String missingMap = POD.replace("name: settings, key: mode", "name: nowhere, key: mode");
    assertThatThrownBy(() -> PodContainers.plan(yaml(missingMap), "img", "h", "", CONFIG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("configmap \"nowhere\" not found");
    String missingKey =
        POD.replace("name: credentials, key: password", "name: credentials, key: token");
    assertThatThrownBy(() -> PodContainers.plan(yaml(missingKey), "img", "h", "", CONFIG))
        .hasMessage("couldn't find key token in Secret shop/credentials");
    String missingEnvFrom =
        POD.replace("configMapRef: {name: settings}", "configMapRef: {name: gone}");
    assertThatThrownBy(() -> PodContainers.plan(yaml(missingEnvFrom), "img", "h", "", CONFIG))
        .hasMessage("configmap \"gone\" not found");
    String optionalEnvFrom =
        POD.replace("configMapRef: {name: settings}", "configMapRef: {name: gone, optional: true}");
    assertThat(
            PodContainers.plan(yaml(optionalEnvFrom), "img", "h", "", CONFIG)
                .containers()
                .get(0)
                .env())
        .doesNotContainKey("CFG_level");
  }

  @Test
  void theServicesVariablesComeLastAndTheContainersOwnWin() throws Exception {
    String pod =
        POD.replace(
            "- {name: CFG_mode, value: overridden}", "- {name: DB_SERVICE_PORT, value: mine}");
    boolean[] asked = new boolean[2];
    ConfigSource services =
        new ConfigSource() {
          @Override
          public Optional<Map<String, String>> configMap(String namespace, String name) {
            return CONFIG.configMap(namespace, name);
          }

          @Override
          public Optional<Map<String, String>> secret(String namespace, String name) {
            return CONFIG.secret(namespace, name);
          }

          @Override
          public Map<String, String> serviceEnvironment(String namespace, boolean serviceLinks) {
            asked[0] = namespace.equals("shop");
            asked[1] = serviceLinks;
            return Map.of(
                "DB_SERVICE_HOST", "127.64.0.7", "DB_SERVICE_PORT", "5432", "GREETING", "theirs");
          }
        };

    Map<String, String> env =
        PodContainers.plan(yaml(pod), "img", "h", "", services).containers().get(0).env();

    assertThat(asked).containsExactly(true, true);
    assertThat(env)
        .containsEntry("DB_SERVICE_HOST", "127.64.0.7")
        .containsEntry("DB_SERVICE_PORT", "mine")
        .containsEntry("GREETING", "hello");
    String noLinks =
        pod.replace("nodeName: node-a", "nodeName: node-a\n  enableServiceLinks: false");
    PodContainers.plan(yaml(noLinks), "img", "h", "", services);
    assertThat(asked[1]).isFalse();
  }
}
