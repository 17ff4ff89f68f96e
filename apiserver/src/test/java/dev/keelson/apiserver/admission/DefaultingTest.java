package dev.keelson.apiserver.admission;

import static dev.keelson.apiserver.admission.Manifests.DEPLOYMENT;
import static dev.keelson.apiserver.admission.Manifests.DEPLOYMENT_YAML;
import static dev.keelson.apiserver.admission.Manifests.ENDPOINTS;
import static dev.keelson.apiserver.admission.Manifests.HPA;
import static dev.keelson.apiserver.admission.Manifests.JOB;
import static dev.keelson.apiserver.admission.Manifests.JOB_YAML;
import static dev.keelson.apiserver.admission.Manifests.NAMESPACE;
import static dev.keelson.apiserver.admission.Manifests.NODE;
import static dev.keelson.apiserver.admission.Manifests.POD;
import static dev.keelson.apiserver.admission.Manifests.POD_YAML;
import static dev.keelson.apiserver.admission.Manifests.REPLICA_SET;
import static dev.keelson.apiserver.admission.Manifests.SECRET;
import static dev.keelson.apiserver.admission.Manifests.SERVICE;
import static dev.keelson.apiserver.admission.Manifests.SERVICE_YAML;
import static dev.keelson.apiserver.admission.Manifests.defaulted;
import static dev.keelson.apiserver.admission.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DefaultingTest {

  @Test
  void aPodGetsThePodSpecDefaultsAndWhatTheAdmissionPluginsAdd() {
    ObjectNode pod = defaulted(POD, POD_YAML);
    JsonNode spec = pod.path("spec");
    assertThat(spec.path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(spec.path("dnsPolicy").asText()).isEqualTo("ClusterFirst");
    assertThat(spec.path("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
    assertThat(spec.path("schedulerName").asText()).isEqualTo("default-scheduler");
    assertThat(spec.path("securityContext").isObject()).isTrue();
    assertThat(spec.path("securityContext").isEmpty()).isTrue();
    assertThat(spec.path("enableServiceLinks").asBoolean()).isTrue();
    assertThat(spec.path("serviceAccountName").asText()).isEqualTo("default");
    assertThat(spec.path("serviceAccount").asText()).isEqualTo("default");
    assertThat(spec.path("priority").asInt(-1)).isZero();
    assertThat(spec.path("preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
    assertThat(spec.path("tolerations"))
        .containsExactly(
            yaml(
                "{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}"),
            yaml(
                "{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}"));
    JsonNode container = spec.path("containers").get(0);
    assertThat(container.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    assertThat(container.path("terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
    assertThat(container.path("terminationMessagePolicy").asText()).isEqualTo("File");
    assertThat(container.path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
    assertThat(pod.path("status").path("phase").asText()).isEqualTo("Pending");
    assertThat(pod.path("status").path("qosClass").asText()).isEqualTo("BestEffort");
  }

  @Test
  void aPodWrittenBackAsItsClientBuiltItKeepsWhatAdmissionAddedAtCreation() {
    ObjectNode stored = defaulted(POD, POD_YAML);
    ObjectNode update = yaml(POD_YAML);
    ((ObjectNode) update.path("spec")).put("serviceAccountName", "default");
    Defaulting.applyUpdate(POD, update, stored);
    assertThat(update.path("spec").path("priority"))
        .isEqualTo(stored.path("spec").path("priority"));
    assertThat(update.path("spec").path("preemptionPolicy").asText())
        .isEqualTo("PreemptLowerPriority");
    assertThat(update.path("spec").path("tolerations"))
        .isEqualTo(stored.path("spec").path("tolerations"));
    assertThat(Validation.validateUpdate(POD, update, stored)).isEmpty();
  }

  @Test
  void thePullPolicyIsAlwaysOnlyForTheLatestTag() {
    ObjectNode pod =
        defaulted(
            POD,
            """
            metadata: {name: p, namespace: default}
            spec:
              containers:
              - {name: a, image: nginx}
              - {name: b, image: "nginx:latest"}
              - {name: c, image: "registry.local:5000/team/app:2.1"}
              - {name: d, image: "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
              - {name: e, image: "registry.local:5000/team/app"}
              - {name: f, image: nginx, imagePullPolicy: Never}
            """);
    assertThat(pod.path("spec").path("containers"))
        .extracting(c -> c.path("imagePullPolicy").asText())
        .containsExactly("Always", "Always", "IfNotPresent", "IfNotPresent", "Always", "Never");
  }

  @Test
  void probesGetTheirTimingsAndHttpGetItsSchemeAndPath() {
    ObjectNode pod =
        defaulted(
            POD,
            """
            metadata: {name: p, namespace: default}
            spec:
              initContainers:
              - name: init
                image: busybox
              containers:
              - name: app
                image: app:1
                livenessProbe:
                  httpGet: {port: 8080}
                readinessProbe:
                  tcpSocket: {port: 8080}
                  periodSeconds: 5
            """);
    JsonNode container = pod.path("spec").path("containers").get(0);
    JsonNode liveness = container.path("livenessProbe");
    assertThat(liveness.path("timeoutSeconds").asInt()).isEqualTo(1);
    assertThat(liveness.path("periodSeconds").asInt()).isEqualTo(10);
    assertThat(liveness.path("successThreshold").asInt()).isEqualTo(1);
    assertThat(liveness.path("failureThreshold").asInt()).isEqualTo(3);
    assertThat(liveness.path("httpGet").path("scheme").asText()).isEqualTo("HTTP");
    assertThat(liveness.path("httpGet").path("path").asText()).isEqualTo("/");
    assertThat(container.path("readinessProbe").path("periodSeconds").asInt()).isEqualTo(5);
    JsonNode init = pod.path("spec").path("initContainers").get(0);
    assertThat(init.path("imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(init.path("terminationMessagePolicy").asText()).isEqualTo("File");
  }

  @Test
  void requestsDefaultToLimitsAndMakeThePodGuaranteed() {
    ObjectNode pod =
        defaulted(
            POD,
            """
            metadata: {name: p, namespace: default}
            spec:
              containers:
              - name: app
                image: app:1
                resources:
                  limits: {cpu: 500m, memory: 128Mi}
            """);
    JsonNode requests =
        pod.path("spec").path("containers").get(0).path("resources").path("requests");
    assertThat(requests.path("cpu").asText()).isEqualTo("500m");
    assertThat(requests.path("memory").asText()).isEqualTo("128Mi");
    assertThat(pod.path("status").path("qosClass").asText()).isEqualTo("Guaranteed");
  }

  @Test
  void aPodThatToleratesEverythingGetsNoExtraTolerationsAndKeepsItsServiceAccount() {
    ObjectNode pod =
        defaulted(
            POD,
            """
            metadata: {name: p, namespace: default}
            spec:
              serviceAccountName: builder
              priorityClassName: system-node-critical
              tolerations:
              - operator: Exists
              containers:
              - {name: app, image: app:1}
            """);
    assertThat(pod.path("spec").path("tolerations")).hasSize(1);
    assertThat(pod.path("spec").path("serviceAccountName").asText()).isEqualTo("builder");
    assertThat(pod.path("spec").path("serviceAccount").asText()).isEqualTo("builder");
    assertThat(pod.path("spec").path("priority").asInt()).isEqualTo(2000001000);
  }

  @Test
  void aDeploymentGetsReplicasStrategyHistoryDeadlineAndTemplateDefaults() {
    ObjectNode deployment = defaulted(DEPLOYMENT, DEPLOYMENT_YAML);
    JsonNode spec = deployment.path("spec");
    assertThat(spec.path("replicas").asInt()).isEqualTo(1);
    assertThat(spec.path("strategy"))
        .isEqualTo(
            yaml("{type: RollingUpdate, rollingUpdate: {maxUnavailable: 25%, maxSurge: 25%}}"));
    assertThat(spec.path("revisionHistoryLimit").asInt()).isEqualTo(10);
    assertThat(spec.path("progressDeadlineSeconds").asInt()).isEqualTo(600);
    JsonNode template = spec.path("template").path("spec");
    assertThat(template.path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(template.path("containers").get(0).path("imagePullPolicy").asText())
        .isEqualTo("Always");
    // Only pods get these, not templates.
    assertThat(template.has("enableServiceLinks")).isFalse();
    assertThat(template.has("serviceAccountName")).isFalse();
    assertThat(template.has("tolerations")).isFalse();
    assertThat(deployment.has("status")).isFalse();
  }

  @Test
  void aRecreateDeploymentGetsNoRollingUpdate() {
    ObjectNode deployment = yaml(DEPLOYMENT_YAML);
    ((ObjectNode) deployment.path("spec")).putObject("strategy").put("type", "Recreate");
    Defaulting.apply(DEPLOYMENT, deployment);
    assertThat(deployment.path("spec").path("strategy")).isEqualTo(yaml("{type: Recreate}"));
  }

  @Test
  void aReplicaSetGetsOneReplica() {
    ObjectNode replicaSet = yaml(DEPLOYMENT_YAML.replace("kind: Deployment", "kind: ReplicaSet"));
    Defaulting.apply(REPLICA_SET, replicaSet);
    assertThat(replicaSet.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(replicaSet.path("spec").has("strategy")).isFalse();
    assertThat(replicaSet.path("spec").path("template").path("spec").path("dnsPolicy").asText())
        .isEqualTo("ClusterFirst");
  }

  @Test
  void aJobGetsItsCountsModesAndASelectorMadeOfItsUid() {
    ObjectNode job = defaulted(JOB, JOB_YAML);
    JsonNode spec = job.path("spec");
    String uid = "0d7a5b1c-0000-4000-8000-000000000003";
    assertThat(spec.path("parallelism").asInt()).isEqualTo(1);
    assertThat(spec.path("completions").asInt()).isEqualTo(1);
    assertThat(spec.path("backoffLimit").asInt()).isEqualTo(6);
    assertThat(spec.path("completionMode").asText()).isEqualTo("NonIndexed");
    assertThat(spec.path("suspend").asBoolean(true)).isFalse();
    assertThat(spec.path("manualSelector").asBoolean(true)).isFalse();
    assertThat(spec.path("podReplacementPolicy").asText()).isEqualTo("TerminatingOrFailed");
    assertThat(spec.path("selector"))
        .isEqualTo(yaml("{matchLabels: {batch.kubernetes.io/controller-uid: " + uid + "}}"));
    assertThat(spec.path("template").path("metadata").path("labels"))
        .isEqualTo(
            yaml(
                "{controller-uid: "
                    + uid
                    + ", batch.kubernetes.io/controller-uid: "
                    + uid
                    + ", job-name: pi, batch.kubernetes.io/job-name: pi}"));
    assertThat(spec.path("template").path("spec").path("terminationGracePeriodSeconds").asInt())
        .isEqualTo(30);
    assertThat(Validation.validateCreate(JOB, job)).isEmpty();
  }

  @Test
  void aJobWithParallelismLeavesCompletionsUnsetAndSharesTemplateLabels() {
    ObjectNode job = yaml(JOB_YAML);
    ObjectNode spec = (ObjectNode) job.path("spec");
    spec.put("parallelism", 3);
    ((ObjectNode) spec.path("template")).putObject("metadata").putObject("labels").put("app", "pi");
    Defaulting.apply(JOB, job);
    assertThat(spec.has("completions")).isFalse();
    assertThat(job.path("metadata").path("labels").path("app").asText()).isEqualTo("pi");
    assertThat(job.path("metadata").path("labels").path("batch.kubernetes.io/job-name").asText())
        .isEqualTo("pi");
  }

  @Test
  void aServiceGetsClusterIpTypePortDefaultsAndOneIpFamily() {
    ObjectNode service = defaulted(SERVICE, SERVICE_YAML);
    JsonNode spec = service.path("spec");
    assertThat(spec.path("type").asText()).isEqualTo("ClusterIP");
    assertThat(spec.path("sessionAffinity").asText()).isEqualTo("None");
    assertThat(spec.path("ports").get(0))
        .isEqualTo(yaml("{port: 80, protocol: TCP, targetPort: 80}"));
    assertThat(spec.path("internalTrafficPolicy").asText()).isEqualTo("Cluster");
    assertThat(spec.path("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
    assertThat(spec.path("ipFamilies")).isEqualTo(yaml("[IPv4]"));
    assertThat(spec.has("externalTrafficPolicy")).isFalse();
  }

  @Test
  void aNodePortServiceRoutesExternalTrafficClusterWide() {
    ObjectNode service = yaml(SERVICE_YAML);
    ((ObjectNode) service.path("spec")).put("type", "NodePort");
    ((ObjectNode) service.path("spec").path("ports").get(0)).put("targetPort", "http");
    Defaulting.apply(SERVICE, service);
    assertThat(service.path("spec").path("externalTrafficPolicy").asText()).isEqualTo("Cluster");
    assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
        .isEqualTo("http");
  }

  @Test
  void aHeadlessServiceWithoutSelectorAsksForBothFamilies() {
    ObjectNode service =
        defaulted(SERVICE, "metadata: {name: db, namespace: default}\nspec: {clusterIP: None}\n");
    JsonNode spec = service.path("spec");
    assertThat(spec.path("clusterIPs")).isEqualTo(yaml("[None]"));
    assertThat(spec.path("ipFamilyPolicy").asText()).isEqualTo("RequireDualStack");
    assertThat(spec.path("ipFamilies")).isEqualTo(yaml("[IPv4, IPv6]"));
  }

  @Test
  void anUpdateKeepsTheAllocatedClusterIpAndTheStoredStatus() {
    ObjectNode existing = defaulted(SERVICE, SERVICE_YAML);
    ObjectNode existingSpec = (ObjectNode) existing.path("spec");
    existingSpec.put("clusterIP", "10.96.0.10");
    existingSpec.putArray("clusterIPs").add("10.96.0.10");
    existing.putObject("status").putObject("loadBalancer");
    ObjectNode updated = yaml(SERVICE_YAML);
    updated.putObject("status").put("bogus", true);
    Defaulting.applyUpdate(SERVICE, updated, existing);
    assertThat(updated.path("spec").path("clusterIP").asText()).isEqualTo("10.96.0.10");
    assertThat(updated.path("spec").path("clusterIPs")).isEqualTo(yaml("['10.96.0.10']"));
    assertThat(updated.path("status")).isEqualTo(existing.path("status"));
    assertThat(Validation.validateUpdate(SERVICE, updated, existing)).isEmpty();
  }

  @Test
  void anUpdateThatLeavesOutTheProtocolKeepsTheAllocatedNodePort() {
    ObjectNode existing =
        defaulted(SERVICE, SERVICE_YAML.replace("ports:", "type: NodePort\n  ports:"));
    ((ObjectNode) existing.path("spec").path("ports").get(0)).put("nodePort", 30080);
    ObjectNode updated = yaml(SERVICE_YAML.replace("ports:", "type: NodePort\n  ports:"));
    Defaulting.applyUpdate(SERVICE, updated, existing);
    assertThat(updated.path("spec").path("ports").get(0).path("nodePort").asLong())
        .isEqualTo(30080);
  }

  @Test
  void anUpdateToClusterIpDropsTheNodePortsItLeftAsTheyWere() {
    ObjectNode existing =
        defaulted(SERVICE, SERVICE_YAML.replace("ports:", "type: NodePort\n  ports:"));
    ((ObjectNode) existing.path("spec").path("ports").get(0)).put("nodePort", 30080);
    existing
        .putObject("status")
        .putObject("loadBalancer")
        .putArray("ingress")
        .addObject()
        .put("ip", "1.2.3.4");
    ObjectNode updated = existing.deepCopy();
    ((ObjectNode) updated.get("spec")).put("type", "ClusterIP");
    Defaulting.applyUpdate(SERVICE, updated, existing);
    assertThat(updated.path("spec").path("ports").get(0).has("nodePort")).isFalse();
    assertThat(updated.path("spec").has("externalTrafficPolicy")).isFalse();
    assertThat(updated.path("status").path("loadBalancer").isEmpty()).isTrue();
    assertThat(Validation.validateUpdate(SERVICE, updated, existing)).isEmpty();

    // A node port the update changed stays, for validation to refuse.
    ObjectNode changed = existing.deepCopy();
    ((ObjectNode) changed.get("spec")).put("type", "ClusterIP");
    ((ObjectNode) changed.path("spec").path("ports").get(0)).put("nodePort", 30081);
    Defaulting.applyUpdate(SERVICE, changed, existing);
    assertThat(Validation.validateUpdate(SERVICE, changed, existing))
        .extracting(FieldCause::toString)
        .containsExactly(
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
  }

  @Test
  void aNamespaceGetsItsFinalizerNameLabelAndActivePhase() {
    ObjectNode namespace = defaulted(NAMESPACE, "metadata: {name: team-a}\n");
    assertThat(namespace.path("spec").path("finalizers")).isEqualTo(yaml("[kubernetes]"));
    assertThat(
            namespace.path("metadata").path("labels").path("kubernetes.io/metadata.name").asText())
        .isEqualTo("team-a");
    assertThat(namespace.path("status").path("phase").asText()).isEqualTo("Active");

    ObjectNode update = yaml("metadata: {name: team-a, labels: {owner: me}}\n");
    Defaulting.applyUpdate(NAMESPACE, update, namespace);
    assertThat(update.path("spec").path("finalizers")).isEqualTo(yaml("[kubernetes]"));
    assertThat(update.path("metadata").path("labels"))
        .isEqualTo(yaml("{owner: me, kubernetes.io/metadata.name: team-a}"));
  }

  @Test
  void aSecretIsOpaqueAndItsStringDataBecomesData() {
    ObjectNode secret =
        defaulted(
            SECRET,
            """
            metadata: {name: s, namespace: default}
            data: {a: YQ==}
            stringData: {b: hello, a: replaced}
            """);
    assertThat(secret.path("type").asText()).isEqualTo("Opaque");
    assertThat(secret.has("stringData")).isFalse();
    assertThat(secret.path("data")).isEqualTo(yaml("{a: cmVwbGFjZWQ=, b: aGVsbG8=}"));
  }

  @Test
  void aNodeCanAllocateItsWholeCapacityUnlessItSaysOtherwise() {
    ObjectNode node =
        defaulted(NODE, "metadata: {name: n1}\nstatus: {capacity: {cpu: '4', pods: '110'}}\n");
    assertThat(node.path("status").path("allocatable")).isEqualTo(yaml("{cpu: '4', pods: '110'}"));
  }

  @Test
  void anAutoscalerScalesFromOneOnCpu() {
    ObjectNode hpa =
        defaulted(
            HPA,
            """
            metadata: {name: web, namespace: default}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
              maxReplicas: 5
              behavior:
                scaleDown: {stabilizationWindowSeconds: 60}
            """);
    JsonNode spec = hpa.path("spec");
    assertThat(spec.path("minReplicas").asInt()).isEqualTo(1);
    assertThat(spec.path("metrics"))
        .isEqualTo(
            yaml(
                "[{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]"));
    assertThat(spec.path("behavior").path("scaleUp"))
        .isEqualTo(
            yaml(
                "{selectPolicy: Max, stabilizationWindowSeconds: 0, policies: [{type: Pods, value: 4,"
                    + " periodSeconds: 15}, {type: Percent, value: 100, periodSeconds: 15}]}"));
    assertThat(spec.path("behavior").path("scaleDown"))
        .isEqualTo(
            yaml(
                "{stabilizationWindowSeconds: 60, selectPolicy: Max, policies: [{type: Percent,"
                    + " value: 100, periodSeconds: 15}]}"));
  }

  @Test
  void endpointPortsSpeakTcp() {
    ObjectNode endpoints =
        defaulted(
            ENDPOINTS,
            "metadata: {name: web, namespace: default}\n"
                + "subsets: [{addresses: [{ip: 10.1.2.3}], ports: [{port: 80}]}]\n");
    assertThat(endpoints.path("subsets").get(0).path("ports").get(0).path("protocol").asText())
        .isEqualTo("TCP");
  }

  @Test
  void aStatusWriteKeepsTheStoredSpec() {
    ObjectNode existing = defaulted(POD, POD_YAML);
    ObjectNode updated = existing.deepCopy();
    ((ObjectNode) updated.path("spec")).put("nodeName", "elsewhere");
    ((ObjectNode) updated.path("status")).put("phase", "Running");
    Defaulting.applyStatusUpdate(POD, updated, existing);
    assertThat(updated.path("spec")).isEqualTo(existing.path("spec"));
    assertThat(updated.path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(Validation.validateStatusUpdate(POD, updated, existing)).isEmpty();
    ((ObjectNode) updated.path("metadata")).put("uid", "another");
    assertThat(Validation.validateStatusUpdate(POD, updated, existing))
        .extracting(FieldCause::toString)
        .containsExactly("metadata.uid: Invalid value: \"another\": field is immutable");
  }
}
