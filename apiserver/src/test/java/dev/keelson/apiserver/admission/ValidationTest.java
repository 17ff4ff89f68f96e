package dev.keelson.apiserver.admission;

import static dev.keelson.apiserver.admission.Manifests.CONFIG_MAP;
import static dev.keelson.apiserver.admission.Manifests.DEPLOYMENT;
import static dev.keelson.apiserver.admission.Manifests.DEPLOYMENT_YAML;
import static dev.keelson.apiserver.admission.Manifests.ENDPOINTS;
import static dev.keelson.apiserver.admission.Manifests.EVENT;
import static dev.keelson.apiserver.admission.Manifests.HPA;
import static dev.keelson.apiserver.admission.Manifests.JOB;
import static dev.keelson.apiserver.admission.Manifests.JOB_YAML;
import static dev.keelson.apiserver.admission.Manifests.LEASE;
import static dev.keelson.apiserver.admission.Manifests.NAMESPACE;
import static dev.keelson.apiserver.admission.Manifests.NODE;
import static dev.keelson.apiserver.admission.Manifests.POD;
import static dev.keelson.apiserver.admission.Manifests.POD_YAML;
import static dev.keelson.apiserver.admission.Manifests.REPLICA_SET;
import static dev.keelson.apiserver.admission.Manifests.SECRET;
import static dev.keelson.apiserver.admission.Manifests.SERVICE;
import static dev.keelson.apiserver.admission.Manifests.SERVICE_ACCOUNT;
import static dev.keelson.apiserver.admission.Manifests.SERVICE_YAML;
import static dev.keelson.apiserver.admission.Manifests.defaulted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ListAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class ValidationTest {

  private static final String SUBDOMAIN_RULE =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex"
          + " used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  private static final String LABEL_RULE =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
          + " must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex"
          + " used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

  /** The causes of creating the object after defaulting, as field and message. */
  private static ListAssert<Tuple> create(GroupKind kind, String manifest) {
    return causes(Validation.validateCreate(kind, defaulted(kind, manifest)));
  }

  /** The causes of updating a defaulted object with the given change. */
  private static ListAssert<Tuple> update(
      GroupKind kind, String manifest, Consumer<ObjectNode> change) {
    ObjectNode existing = defaulted(kind, manifest);
    ObjectNode updated = existing.deepCopy();
    change.accept(updated);
    Defaulting.applyUpdate(kind, updated, existing);
    return causes(Validation.validateUpdate(kind, updated, existing));
  }

  private static ListAssert<Tuple> causes(List<FieldCause> causes) {
    return assertThat(causes.stream().map(c -> tuple(c.field(), c.message())).toList());
  }

  private static ObjectNode at(ObjectNode object, String... path) {
    ObjectNode node = object;
    for (String field : path) {
      node = (ObjectNode) node.get(field);
    }
    return node;
  }

  @Test
  void defaultedObjectsOfEveryKindAreValid() {
    create(POD, POD_YAML).isEmpty();
    create(DEPLOYMENT, DEPLOYMENT_YAML).isEmpty();
    create(REPLICA_SET, DEPLOYMENT_YAML.replace("Deployment", "ReplicaSet")).isEmpty();
    create(JOB, JOB_YAML).isEmpty();
    create(SERVICE, SERVICE_YAML).isEmpty();
    create(NAMESPACE, "metadata: {name: team-a}").isEmpty();
    create(
            NODE,
            "metadata: {name: node-1}\nspec: {taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}")
        .isEmpty();
    create(CONFIG_MAP, "metadata: {name: cfg, namespace: default}\ndata: {app.properties: x}")
        .isEmpty();
    create(SECRET, "metadata: {name: s, namespace: default}\nstringData: {password: x}").isEmpty();
    create(SERVICE_ACCOUNT, "metadata: {name: builder, namespace: default}").isEmpty();
    create(
            ENDPOINTS,
            "metadata: {name: web, namespace: default}\nsubsets: [{addresses: [{ip: 10.1.2.3}], ports: [{port: 80}]}]")
        .isEmpty();
    create(
            EVENT,
            "metadata: {name: web.17a, namespace: default}\ninvolvedObject: {kind: Pod, name: web, namespace: default}")
        .isEmpty();
    create(
            HPA,
            "metadata: {name: web, namespace: default}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}")
        .isEmpty();
    create(
            LEASE,
            "metadata: {name: leader, namespace: kube-system}\nspec: {holderIdentity: a, leaseDurationSeconds: 15}")
        .isEmpty();
  }

  @Test
  void nameIsRequiredUnlessGenerated() {
    create(POD, POD_YAML.replace("  name: web\n", ""))
        .containsExactly(
            tuple("metadata.name", "Required value: name or generateName is required"));
    create(POD, POD_YAML.replace("name: web\n", "generateName: web-\n")).isEmpty();
    create(POD, POD_YAML.replace("name: web\n", "generateName: Web-\n"))
        .containsExactly(
            tuple("metadata.generateName", "Invalid value: \"Web-\": " + SUBDOMAIN_RULE));
  }

  @Test
  void mostNamesAreDnsSubdomains() {
    create(POD, POD_YAML.replace("name: web\n", "name: Foo_Bar\n"))
        .containsExactly(tuple("metadata.name", "Invalid value: \"Foo_Bar\": " + SUBDOMAIN_RULE));
    create(DEPLOYMENT, DEPLOYMENT_YAML.replace("name: web\n", "name: " + "a".repeat(254) + "\n"))
        .containsExactly(
            tuple(
                "metadata.name",
                "Invalid value: \"" + "a".repeat(254) + "\": must be no more than 253 characters"));
  }

  @Test
  void namespacesAreDnsLabelsAndServicesDns1035Labels() {
    create(NAMESPACE, "metadata: {name: team.a}")
        .containsExactly(
            tuple("metadata.name", "Invalid value: \"team.a\": must not contain dots"));
    create(SERVICE, SERVICE_YAML.replace("name: web\n", "name: 1web\n"))
        .containsExactly(
            tuple(
                "metadata.name",
                "Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric"
                    + " characters or '-', start with an alphabetic character, and end with an"
                    + " alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for"
                    + " validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
    create(POD, POD_YAML.replace("namespace: default", "namespace: Team"))
        .containsExactly(tuple("metadata.namespace", "Invalid value: \"Team\": " + LABEL_RULE));
  }

  @Test
  void eventNamesNeedOnlyBePathSegments() {
    String event =
        "metadata: {name: NAME, namespace: default}\ninvolvedObject: {namespace: default}";
    create(EVENT, event.replace("NAME", "Web_1.17a")).isEmpty();
    create(EVENT, event.replace("NAME", "'a/b%'"))
        .containsExactly(
            tuple("metadata.name", "Invalid value: \"a/b%\": may not contain '/'"),
            tuple("metadata.name", "Invalid value: \"a/b%\": may not contain '%'"));
    create(EVENT, event.replace("NAME", "'..'"))
        .containsExactly(tuple("metadata.name", "Invalid value: \"..\": may not be '..'"));
    create(EVENT, "metadata: {name: e, namespace: default}\ninvolvedObject: {namespace: other}")
        .containsExactly(
            tuple(
                "involvedObject.namespace",
                "Invalid value: \"other\": does not match event.namespace"));
  }

  @Test
  void labelKeysAndValuesAndAnnotationSizeAreChecked() {
    String longValue = "v".repeat(64);
    create(
            POD,
            POD_YAML.replace(
                "app: web", "'bad key': x\n    ok: " + longValue + "\n    example.com/: y"))
        .containsExactly(
            tuple(
                "metadata.labels",
                "Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-',"
                    + " '_' or '.', and must start and end with an alphanumeric character (e.g."
                    + " 'MyName',  or 'my.name',  or '123-abc', regex used for validation is"
                    + " '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
            tuple(
                "metadata.labels",
                "Invalid value: \"" + longValue + "\": must be no more than 63 characters"),
            tuple(
                "metadata.labels", "Invalid value: \"example.com/\": name part must be non-empty"),
            tuple(
                "metadata.labels",
                "Invalid value: \"example.com/\": name part must consist of alphanumeric characters,"
                    + " '-', '_' or '.', and must start and end with an alphanumeric character (e.g."
                    + " 'MyName',  or 'my.name',  or '123-abc', regex used for validation is"
                    + " '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
    ObjectNode pod = defaulted(POD, POD_YAML);
    at(pod, "metadata").putObject("annotations").put("note", "x".repeat(256 * 1024));
    causes(Validation.validateCreate(POD, pod))
        .containsExactly(tuple("metadata.annotations", "Too long: must have at most 262144 bytes"));
  }

  @Test
  void podContainersAreRequiredNamedUniquelyAndNeedImages() {
    create(POD, "metadata: {name: p, namespace: default}\nspec: {containers: []}")
        .containsExactly(tuple("spec.containers", "Required value"));
    create(
            POD,
            """
            metadata: {name: p, namespace: default}
            spec:
              containers:
              - {name: Web, image: nginx}
              - {name: app, image: nginx}
              - {name: app}
            """)
        .containsExactly(
            tuple("spec.containers[0].name", "Invalid value: \"Web\": " + LABEL_RULE),
            tuple("spec.containers[2].image", "Required value"),
            tuple("spec.containers[2].name", "Duplicate value: \"app\""));
  }

  @Test
  void podEnumeratedFieldsTakeOnlyUpstreamsValues() {
    create(
            POD,
            """
            metadata: {name: p, namespace: default}
            spec:
              restartPolicy: Sometimes
              dnsPolicy: Cluster
              containers:
              - name: app
                image: nginx
                imagePullPolicy: Sometimes
                ports: [{containerPort: 70000, protocol: HTTP}, {containerPort: 80, name: HTTP}]
                env: [{name: A=B, value: x}, {value: y}]
                volumeMounts: [{name: data, mountPath: /data}]
                resources: {requests: {cpu: '2'}, limits: {cpu: '1'}}
            """)
        .containsExactlyInAnyOrder(
            tuple(
                "spec.containers[0].ports[0].containerPort",
                "Invalid value: 70000: must be between 1 and 65535, inclusive"),
            tuple(
                "spec.containers[0].ports[0].protocol",
                "Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
            tuple(
                "spec.containers[0].ports[1].name",
                "Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"),
            tuple(
                "spec.containers[0].ports[1].name",
                "Invalid value: \"HTTP\": must contain at least one letter (a-z)"),
            tuple(
                "spec.containers[0].env[0].name",
                "Invalid value: \"A=B\": a valid environment variable name must consist only of"
                    + " printable ASCII characters other than '='"),
            tuple("spec.containers[0].env[1].name", "Required value"),
            tuple("spec.containers[0].volumeMounts[0].name", "Not found: \"data\""),
            tuple(
                "spec.containers[0].imagePullPolicy",
                "Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""),
            tuple(
                "spec.containers[0].resources.requests",
                "Invalid value: \"2\": must be less than or equal to cpu limit of 1"),
            tuple(
                "spec.restartPolicy",
                "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
            tuple(
                "spec.dnsPolicy",
                "Unsupported value: \"Cluster\": supported values: \"ClusterFirstWithHostNet\","
                    + " \"ClusterFirst\", \"Default\", \"None\""));
  }

  @Test
  void podProbesNeedOneHandlerAndSaneThresholds() {
    create(
            POD,
            """
            metadata: {name: p, namespace: default}
            spec:
              containers:
              - name: app
                image: nginx
                livenessProbe: {successThreshold: 2, exec: {command: [true]}}
                readinessProbe: {periodSeconds: 5}
            """)
        .containsExactly(
            tuple(
                "spec.containers[0].livenessProbe.successThreshold", "Invalid value: 2: must be 1"),
            tuple(
                "spec.containers[0].readinessProbe",
                "Required value: must specify a handler type"));
  }

  @Test
  void aPodUpdateMayChangeImagesAndAddTolerations() {
    update(
            POD,
            POD_YAML,
            pod -> ((ObjectNode) pod.at("/spec/containers/0")).put("image", "nginx:1.26"))
        .isEmpty();
    update(
            POD,
            POD_YAML,
            pod ->
                ((com.fasterxml.jackson.databind.node.ArrayNode) pod.at("/spec/tolerations"))
                    .addObject()
                    .put("key", "gpu")
                    .put("operator", "Exists"))
        .isEmpty();
    update(POD, POD_YAML, pod -> at(pod, "spec").put("activeDeadlineSeconds", 60)).isEmpty();
  }

  @Test
  void aPodUpdateMayNotChangeOtherFields() {
    List<FieldCause> causes;
    ObjectNode existing = defaulted(POD, POD_YAML);
    ObjectNode updated = existing.deepCopy();
    at(updated, "spec").put("nodeName", "node-2");
    Defaulting.applyUpdate(POD, updated, existing);
    causes = Validation.validateUpdate(POD, updated, existing);
    assertThat(causes).hasSize(1);
    assertThat(causes.get(0).type()).isEqualTo("FieldValueForbidden");
    assertThat(causes.get(0).field()).isEqualTo("spec");
    assertThat(causes.get(0).message())
        .startsWith(
            "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
                + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations`"
                + " (only additions to existing tolerations),`spec.terminationGracePeriodSeconds`"
                + " (allow it to be set to 1 if it was previously negative)\n")
        .contains("+ \tnodeName: \"node-2\"");

    update(
            POD,
            POD_YAML,
            pod ->
                ((com.fasterxml.jackson.databind.node.ArrayNode) pod.at("/spec/containers"))
                    .addObject()
                    .put("name", "sidecar")
                    .put("image", "busybox"))
        .containsExactly(
            tuple("spec.containers", "Forbidden: pod updates may not add or remove containers"));
    update(
            POD,
            POD_YAML,
            pod ->
                ((com.fasterxml.jackson.databind.node.ObjectNode) pod.at("/spec/tolerations/0"))
                    .put("operator", "Equal")
                    .put("value", "x"))
        .containsExactly(
            tuple(
                "spec.tolerations",
                "Forbidden: existing toleration can not be modified except its tolerationSeconds"));
    update(POD, POD_YAML, pod -> at(pod, "metadata").put("name", "other"))
        .contains(tuple("metadata.name", "Invalid value: \"other\": field is immutable"));
  }

  @Test
  void aNegativeGracePeriodMayBecomeOne() {
    String negative =
        POD_YAML.replace("containers:", "terminationGracePeriodSeconds: -1\n  containers:");
    update(POD, negative, pod -> at(pod, "spec").put("terminationGracePeriodSeconds", 1)).isEmpty();
    update(POD, POD_YAML, pod -> at(pod, "spec").put("terminationGracePeriodSeconds", 1))
        .extracting(t -> t.toList().get(0))
        .containsExactly("spec");
  }

  @Test
  void servicesNeedPortsWithUniqueNamesAndAKnownType() {
    create(SERVICE, "metadata: {name: web, namespace: default}\nspec: {selector: {app: web}}")
        .containsExactly(tuple("spec.ports", "Required value"));
    create(SERVICE, "metadata: {name: db, namespace: default}\nspec: {clusterIP: None}").isEmpty();
    create(
            SERVICE,
            """
            metadata: {name: web, namespace: default}
            spec:
              type: Balanced
              selector: {app: 'a b'}
              ports: [{port: 80}, {name: http, port: 0}, {name: http, port: 81, targetPort: x--y}]
            """)
        .containsExactlyInAnyOrder(
            tuple("spec.ports[0].name", "Required value"),
            tuple("spec.ports[1].port", "Invalid value: 0: must be between 1 and 65535, inclusive"),
            tuple(
                "spec.ports[1].targetPort",
                "Invalid value: 0: must be between 1 and 65535, inclusive"),
            tuple("spec.ports[2].name", "Duplicate value: \"http\""),
            tuple(
                "spec.ports[2].targetPort",
                "Invalid value: \"x--y\": must not contain consecutive hyphens"),
            tuple(
                "spec.selector",
                "Invalid value: \"a b\": a valid label must be an empty string or consist of"
                    + " alphanumeric characters, '-', '_' or '.', and must start and end with an"
                    + " alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex"
                    + " used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
            tuple(
                "spec.type",
                "Unsupported value: \"Balanced\": supported values: \"ClusterIP\", \"ExternalName\","
                    + " \"LoadBalancer\", \"NodePort\""));
    create(SERVICE, "metadata: {name: ext, namespace: default}\nspec: {type: ExternalName}")
        .containsExactly(tuple("spec.externalName", "Required value"));
  }

  @Test
  void aServiceKeepsItsClusterIpOnceSet() {
    String allocated = SERVICE_YAML + "  clusterIP: 10.96.0.10\n";
    update(SERVICE, allocated, svc -> at(svc, "spec").put("clusterIP", "10.96.0.11"))
        .containsExactly(
            tuple(
                "spec.clusterIPs[0]",
                "Invalid value: []string{\"10.96.0.11\"}: may not change once set"));
    update(SERVICE, allocated, svc -> at(svc, "spec").remove(List.of("clusterIP", "clusterIPs")))
        .isEmpty();
    update(SERVICE, allocated, svc -> at(svc, "spec").put("type", "NodePort")).isEmpty();
  }

  @Test
  void deploymentSelectorsAreRequiredAndMustSelectTheTemplate() {
    create(
            DEPLOYMENT,
            DEPLOYMENT_YAML.replace("  selector:\n    matchLabels:\n      app: web\n", ""))
        .containsExactly(tuple("spec.selector", "Required value"));
    create(DEPLOYMENT, DEPLOYMENT_YAML.replace("        app: web", "        app: other"))
        .containsExactly(
            tuple(
                "spec.template.metadata.labels",
                "Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`"));
    create(
            DEPLOYMENT,
            DEPLOYMENT_YAML.replace("spec:\n  selector", "spec:\n  replicas: -1\n  selector"))
        .containsExactly(
            tuple("spec.replicas", "Invalid value: -1: must be greater than or equal to 0"));
    create(
            REPLICA_SET,
            DEPLOYMENT_YAML
                .replace("Deployment", "ReplicaSet")
                .replace("matchLabels:\n      app: web", "{}"))
        .containsExactly(
            tuple(
                "spec.selector",
                "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil),"
                    + " MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"));
  }

  @Test
  void deploymentStrategyAndTemplateFollowUpstream() {
    create(
            DEPLOYMENT,
            DEPLOYMENT_YAML.replace(
                "spec:\n  selector", "spec:\n  strategy: {type: Blue}\n  selector"))
        .containsExactly(
            tuple(
                "spec.strategy",
                "Unsupported value: apps.DeploymentStrategy{Type:\"Blue\","
                    + " RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\","
                    + " \"RollingUpdate\""));
    create(
            DEPLOYMENT,
            DEPLOYMENT_YAML.replace(
                "spec:\n  selector",
                "spec:\n  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n  selector"))
        .containsExactly(
            tuple(
                "spec.strategy.rollingUpdate.maxUnavailable",
                "Invalid value: 0: may not be 0 when `maxSurge` is 0"));
    create(
            DEPLOYMENT,
            DEPLOYMENT_YAML.replace("    spec:\n", "    spec:\n      restartPolicy: Never\n"))
        .containsExactly(
            tuple(
                "spec.template.spec.restartPolicy",
                "Unsupported value: \"Never\": supported values: \"Always\""));
  }

  @Test
  void aDeploymentSelectorIsImmutable() {
    update(
            DEPLOYMENT,
            DEPLOYMENT_YAML,
            d -> {
              at(d, "spec", "selector", "matchLabels").put("app", "web2");
              at(d, "spec", "template", "metadata", "labels").put("app", "web2");
            })
        .containsExactly(
            tuple(
                "spec.selector",
                "Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"},"
                    + " MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"));
    update(DEPLOYMENT, DEPLOYMENT_YAML, d -> at(d, "spec").put("replicas", 5)).isEmpty();
  }

  @Test
  void jobsRestartOnFailureOrNeverAndCountFromZero() {
    create(JOB, JOB_YAML.replace("      restartPolicy: Never\n", ""))
        .containsExactly(
            tuple(
                "spec.template.spec.restartPolicy",
                "Required value: valid values: \"OnFailure\", \"Never\""));
    create(JOB, JOB_YAML.replace("spec:\n  template", "spec:\n  parallelism: -1\n  template"))
        .containsExactly(
            tuple("spec.parallelism", "Invalid value: -1: must be greater than or equal to 0"));
    create(
            JOB,
            JOB_YAML.replace(
                "spec:\n  template",
                "spec:\n  selector: {matchLabels: {batch.kubernetes.io/controller-uid: other}}\n  template"))
        .contains(
            tuple(
                "spec.selector",
                "Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"batch.kubernetes.io/controller-uid\":\"other\"},"
                    + " MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated"));
  }

  @Test
  void aJobsSelectorAndTemplateAreImmutableUnlessSuspended() {
    update(
            JOB,
            JOB_YAML,
            job ->
                ((ObjectNode) job.at("/spec/template/spec/containers/0")).put("image", "perl:5.36"))
        .hasSize(1)
        .allSatisfy(
            t -> {
              assertThat(t.toList().get(0)).isEqualTo("spec.template");
              assertThat((String) t.toList().get(1))
                  .startsWith("Invalid value: core.PodTemplateSpec{")
                  .endsWith(": field is immutable");
            });
    update(JOB, JOB_YAML, job -> at(job, "spec", "selector", "matchLabels").put("extra", "x"))
        .contains(
            tuple(
                "spec.selector",
                "Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"batch.kubernetes.io/controller-uid\":"
                    + "\"0d7a5b1c-0000-4000-8000-000000000003\", \"extra\":\"x\"},"
                    + " MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"));
    String suspended = JOB_YAML.replace("spec:\n  template", "spec:\n  suspend: true\n  template");
    update(
            JOB,
            suspended,
            job -> at(job, "spec", "template", "spec").putObject("nodeSelector").put("disk", "ssd"))
        .isEmpty();
    update(JOB, JOB_YAML, job -> at(job, "spec").put("parallelism", 4)).isEmpty();
  }

  @Test
  void configKeysAreCheckedAndImmutableDataStays() {
    create(CONFIG_MAP, "metadata: {name: cfg, namespace: default}\ndata: {'a b': x}")
        .containsExactly(
            tuple(
                "data[a b]",
                "Invalid value: \"a b\": a valid config key must consist of alphanumeric characters,"
                    + " '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for"
                    + " validation is '[-._a-zA-Z0-9]+')"));
    String immutable = "metadata: {name: cfg, namespace: default}\nimmutable: true\ndata: {a: x}";
    update(CONFIG_MAP, immutable, cm -> at(cm, "data").put("a", "y"))
        .containsExactly(tuple("data", "Forbidden: field is immutable when `immutable` is set"));
    update(CONFIG_MAP, immutable, cm -> at(cm, "metadata").putObject("labels").put("a", "b"))
        .isEmpty();
  }

  @Test
  void secretTypesAreImmutableAndDemandTheirKeys() {
    String secret = "metadata: {name: s, namespace: default}\ndata: {a: YQ==}";
    update(SECRET, secret, s -> s.put("type", "example.com/custom"))
        .containsExactly(
            tuple("type", "Invalid value: \"example.com/custom\": field is immutable"));
    create(SECRET, secret + "\ntype: kubernetes.io/tls")
        .containsExactly(
            tuple("data[tls.crt]", "Required value"), tuple("data[tls.key]", "Required value"));
    create(SECRET, "metadata: {name: s, namespace: default}\ndata: {.hidden: YQ==, ..x: YQ==}")
        .containsExactly(tuple("data[..x]", "Invalid value: \"..x\": must not start with '..'"));
  }

  @Test
  void clusterScopedKindsTakeNoNamespaceAndNodesCheckTaints() {
    create(NODE, "metadata: {name: n1, namespace: default}")
        .containsExactly(tuple("metadata.namespace", "Forbidden: not allowed on this type"));
    create(
            NODE,
            "metadata: {name: n1}\nspec: {taints: [{key: a, effect: Sometimes}, {key: b, effect: NoSchedule}, {key: b, effect: NoSchedule}]}")
        .containsExactly(
            tuple(
                "metadata.taints[0].effect",
                "Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
            tuple(
                "metadata.taints[2]",
                "Duplicate value: core.Taint{Key:\"b\", Value:\"\", Effect:\"NoSchedule\", TimeAdded:<nil>}:"
                    + " taints must be unique by key and effect pair"));
    create(NAMESPACE, "metadata: {name: team-a}\nspec: {finalizers: [custom]}")
        .containsExactly(
            tuple(
                "spec.finalizers",
                "Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified"));
  }

  @Test
  void autoscalersLeasesEndpointsAndServiceAccountsFollowUpstream() {
    create(
            HPA,
            "metadata: {name: web, namespace: default}\nspec: {scaleTargetRef: {kind: Deployment}, minReplicas: 3, maxReplicas: 1}")
        .containsExactly(
            tuple(
                "spec.maxReplicas",
                "Invalid value: 1: must be greater than or equal to `minReplicas`"),
            tuple("spec.scaleTargetRef.name", "Required value"));
    create(LEASE, "metadata: {name: l, namespace: default}\nspec: {leaseDurationSeconds: 0}")
        .containsExactly(
            tuple("spec.leaseDurationSeconds", "Invalid value: 0: must be greater than 0"));
    create(
            ENDPOINTS,
            "metadata: {name: web, namespace: default}\nsubsets: [{ports: [{port: 80, protocol: ICMP}]}, {addresses: [{ip: 127.0.0.1}]}]")
        .containsExactly(
            tuple("subsets[0]", "Required value: must specify `addresses` or `notReadyAddresses`"),
            tuple(
                "subsets[0].ports[0].protocol",
                "Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
            tuple(
                "subsets[1].addresses[0].ip",
                "Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"));
    create(SERVICE_ACCOUNT, "metadata: {name: Builder, namespace: default}")
        .containsExactly(tuple("metadata.name", "Invalid value: \"Builder\": " + SUBDOMAIN_RULE));
  }

  @Test
  void theStatusMessageAggregatesCausesAsUpstreamDoes() {
    FieldCause replicas =
        FieldCause.invalid("spec.replicas", -1, "must be greater than or equal to 0");
    FieldCause selector = FieldCause.required("spec.selector", "");
    assertThat(FieldCause.invalidMessage(DEPLOYMENT, "web", List.of(replicas)))
        .isEqualTo(
            "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    assertThat(FieldCause.invalidMessage(POD, "web", List.of(replicas, selector, replicas)))
        .isEqualTo(
            "Pod \"web\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal"
                + " to 0, spec.selector: Required value]");
    assertThat(FieldCause.invalid("metadata.name", "a\"b\n\u00e9", "x").message())
        .isEqualTo("Invalid value: \"a\\\"b\\n\u00e9\": x");
  }

  @Test
  void objectsLargerThanOneAndAHalfMebibytesAreRefused() {
    assertThat(ObjectSize.tooLarge(new byte[1_572_864])).isFalse();
    assertThat(ObjectSize.tooLarge(new byte[1_572_865])).isTrue();
    assertThat(ObjectSize.problem(new byte[1_572_865]))
        .hasValue(
            "the object is too large to store: 1572865 bytes serialized, the limit is 1572864 bytes (1.5 MiB)");
    assertThat(ObjectSize.problem(new byte[10])).isEmpty();
  }
}
