package dev.keelson.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Table's shape, content negotiation, and for each resource a realistic object with the cells a
 * real API server prints for it (upstream's printers, generated wide).
 */
class TableConvertorTest {

  static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

  private final TableConvertor convertor = new TableConvertor();

  // --- content negotiation ----------------------------------------------------------------

  /** What kubectl get sends, recorded from kubectl 1.27 and 1.32 (identical in both). */
  static final String KUBECTL_ACCEPT =
      "application/json;as=Table;v=v1;g=meta.k8s.io,"
          + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

  @Test
  void kubectlGetAsksForAV1Table() {
    assertThat(TableConvertor.wantsTable(KUBECTL_ACCEPT)).isTrue();
    assertThat(TableConvertor.requestedVersion(KUBECTL_ACCEPT)).contains(TableVersion.V1);
  }

  @Test
  void anOlderClientThatKnowsOnlyV1beta1GetsV1beta1() {
    String accept = "application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json";
    assertThat(TableConvertor.requestedVersion(accept)).contains(TableVersion.V1BETA1);
    assertThat(TableConvertor.requestedVersion("application/json; g=meta.k8s.io; as=Table; v=v1"))
        .contains(TableVersion.V1);
  }

  @Test
  void plainJsonAndOtherConversionsAreNoTable() {
    assertThat(TableConvertor.wantsTable("application/json")).isFalse();
    assertThat(TableConvertor.wantsTable("application/json, */*")).isFalse();
    assertThat(TableConvertor.wantsTable(null)).isFalse();
    assertThat(TableConvertor.wantsTable("")).isFalse();
    assertThat(
            TableConvertor.wantsTable(
                "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json"))
        .isFalse();
    // A Table in a version that does not exist is passed over for the plain clause after it.
    assertThat(
            TableConvertor.wantsTable(
                "application/json;as=Table;v=v2;g=meta.k8s.io,application/json"))
        .isFalse();
    // Only JSON is answered here: a protobuf Table is passed over.
    assertThat(
            TableConvertor.wantsTable(
                "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json"))
        .isFalse();
  }

  @Test
  void qualityOrdersTheClauses() {
    assertThat(
            TableConvertor.requestedVersion(
                "application/json;q=0.5,application/json;as=Table;v=v1beta1;g=meta.k8s.io"))
        .contains(TableVersion.V1BETA1);
    assertThat(
            TableConvertor.wantsTable(
                "application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5,application/json"))
        .isFalse();
    assertThat(TableConvertor.wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io;q=0"))
        .isFalse();
  }

  @Test
  void includeObjectParsesTheQueryParameter() {
    assertThat(IncludeObject.parse(null)).isEqualTo(IncludeObject.METADATA);
    assertThat(IncludeObject.parse("")).isEqualTo(IncludeObject.METADATA);
    assertThat(IncludeObject.parse("None")).isEqualTo(IncludeObject.NONE);
    assertThat(IncludeObject.parse("Metadata")).isEqualTo(IncludeObject.METADATA);
    assertThat(IncludeObject.parse("Object")).isEqualTo(IncludeObject.OBJECT);
    assertThatThrownBy(() -> IncludeObject.parse("object"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unrecognized includeObject value");
  }

  // --- the Table itself -------------------------------------------------------------------

  @Test
  void aListBecomesATableWithColumnsRowsAndPartialMetadata() {
    ObjectNode cm = yaml(CONFIG_MAP);
    ObjectNode table =
        convertor.toTable("configmaps", List.of(cm), IncludeObject.METADATA, "42", "next", NOW);

    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("42");
    assertThat(table.path("metadata").path("continue").asText()).isEqualTo("next");
    JsonNode name = table.path("columnDefinitions").get(0);
    assertThat(name.path("name").asText()).isEqualTo("Name");
    assertThat(name.path("type").asText()).isEqualTo("string");
    assertThat(name.path("format").asText()).isEqualTo("name");
    assertThat(name.path("description").asText()).startsWith("Name must be unique");
    assertThat(name.path("priority").isInt()).isTrue();
    assertThat(table.path("columnDefinitions").get(2).path("format").isTextual()).isTrue();

    JsonNode row = table.path("rows").get(0);
    assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(row.path("object").path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(row.path("object").path("metadata")).isEqualTo(cm.path("metadata"));
    assertThat(row.path("object").has("data")).isFalse();
    assertThat(row.has("conditions")).isFalse();
  }

  @Test
  void includeObjectDecidesWhatEachRowCarries() {
    ObjectNode cm = yaml(CONFIG_MAP);
    JsonNode whole =
        convertor
            .toTable("configmaps", List.of(cm), IncludeObject.OBJECT, "1", null, NOW)
            .path("rows")
            .get(0)
            .path("object");
    assertThat(whole).isEqualTo(cm);

    JsonNode none =
        convertor
            .toTable("configmaps", List.of(cm), IncludeObject.NONE, "1", null, NOW)
            .path("rows");
    assertThat(none.get(0).has("object")).isTrue();
    assertThat(none.get(0).path("object").isNull()).isTrue();
  }

  @Test
  void theTableAnswersInTheVersionAskedFor() {
    ObjectNode table =
        convertor.toTable(
            "configmaps",
            List.of(yaml(CONFIG_MAP)),
            IncludeObject.METADATA,
            "7",
            null,
            NOW,
            TableVersion.V1BETA1,
            false);
    assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
    assertThat(table.path("rows").get(0).path("object").path("apiVersion").asText())
        .isEqualTo("meta.k8s.io/v1beta1");
    assertThat(table.path("metadata").has("continue")).isFalse();
  }

  @Test
  void withoutHeadersTheColumnsAreLeftOutAsInLaterWatchEvents() {
    ObjectNode table =
        convertor.toTable(
            "configmaps",
            List.of(yaml(CONFIG_MAP)),
            IncludeObject.METADATA,
            "",
            "",
            NOW,
            TableVersion.V1,
            true);
    assertThat(table.path("columnDefinitions").isNull()).isTrue();
    assertThat(table.path("rows").get(0).path("cells").size()).isEqualTo(3);
    assertThat(table.path("metadata").isEmpty()).isTrue();
  }

  @Test
  void anEmptyListIsATableWithNoRows() {
    ObjectNode table = convertor.toTable("pods", List.of(), IncludeObject.METADATA, "9", null, NOW);
    assertThat(table.path("rows").isArray()).isTrue();
    assertThat(table.path("rows")).isEmpty();
    assertThat(table.path("columnDefinitions")).hasSize(9);
  }

  @Test
  void aResourceWithoutAPrinterGetsNameAndAge() {
    ObjectNode widget =
        yaml(
            """
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: sprocket, namespace: default, creationTimestamp: "2024-05-30T09:00:00Z"}
            spec: {size: 3}
            """);
    assertThat(columns("widgets")).containsExactly("Name", "Age");
    assertThat(cells("widgets", widget)).containsExactly("sprocket", "2d3h");
  }

  // --- pods ---------------------------------------------------------------------------------

  @Test
  void podColumnsMatchUpstream() {
    assertThat(columns("pods"))
        .containsExactly(
            "Name",
            "Ready",
            "Status",
            "Restarts",
            "Age",
            "IP*",
            "Node*",
            "Nominated Node*",
            "Readiness Gates*");
  }

  @Test
  void aRunningPodWithRestarts() {
    assertThat(cells("pods", yaml(RUNNING_POD)))
        .containsExactly(
            "web-7d4b9c8f6-x2x9q",
            "2/2",
            "Running",
            "3 (3m2s ago)",
            "5m",
            "10.244.1.5",
            "node-1",
            "<none>",
            "<none>");
  }

  @Test
  void aPendingPodThatIsNotScheduledYet() {
    ObjectNode pod =
        yaml(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: pending, namespace: default, creationTimestamp: "2024-06-01T11:59:50Z"}
            spec:
              containers: [{name: app, image: busybox}]
            status:
              phase: Pending
              conditions: [{type: PodScheduled, status: "False", reason: Unschedulable}]
            """);
    assertThat(cells("pods", pod))
        .containsExactly(
            "pending", "0/1", "Pending", "0", "10s", "<none>", "<none>", "<none>", "<none>");
  }

  // --- resources ----------------------------------------------------------------------------

  @Test
  void nodes() {
    assertThat(columns("nodes"))
        .containsExactly(
            "Name",
            "Status",
            "Roles",
            "Age",
            "Version",
            "Internal-IP*",
            "External-IP*",
            "OS-Image*",
            "Kernel-Version*",
            "Container-Runtime*");
    ObjectNode node =
        yaml(
            """
            apiVersion: v1
            kind: Node
            metadata:
              name: node-1
              creationTimestamp: "2024-04-17T05:00:00Z"
              labels:
                kubernetes.io/hostname: node-1
                node-role.kubernetes.io/control-plane: ""
                kubernetes.io/role: worker
            spec: {unschedulable: true}
            status:
              conditions:
              - {type: MemoryPressure, status: "False"}
              - {type: Ready, status: "True", reason: KubeletReady}
              addresses:
              - {type: InternalIP, address: 192.168.1.10}
              - {type: Hostname, address: node-1}
              nodeInfo:
                kubeletVersion: v1.32.0
                osImage: Ubuntu 22.04.4 LTS
                kernelVersion: 6.5.0-1020-aws
                containerRuntimeVersion: containerd://1.7.13
            """);
    assertThat(cells("nodes", node))
        .containsExactly(
            "node-1",
            "Ready,SchedulingDisabled",
            "control-plane,worker",
            "45d",
            "v1.32.0",
            "192.168.1.10",
            "<none>",
            "Ubuntu 22.04.4 LTS",
            "6.5.0-1020-aws",
            "containerd://1.7.13");

    ObjectNode fresh =
        yaml(
            """
            apiVersion: v1
            kind: Node
            metadata: {name: node-2, creationTimestamp: "2024-06-01T11:59:00Z"}
            status:
              conditions: [{type: Ready, status: Unknown, reason: NodeStatusUnknown}]
            """);
    assertThat(cells("nodes", fresh))
        .containsExactly(
            "node-2",
            "NotReady",
            "<none>",
            "60s",
            "",
            "<none>",
            "<none>",
            "<unknown>",
            "<unknown>",
            "<unknown>");
    ObjectNode silent = yaml("{apiVersion: v1, kind: Node, metadata: {name: node-3}, status: {}}");
    assertThat(cells("nodes", silent).subList(0, 4))
        .containsExactly("node-3", "Unknown", "<none>", "<unknown>");
  }

  @Test
  void services() {
    assertThat(columns("services"))
        .containsExactly(
            "Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector*");
    ObjectNode nodePort =
        yaml(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default, creationTimestamp: "2024-05-30T09:00:00Z"}
            spec:
              type: NodePort
              clusterIP: 10.96.12.34
              clusterIPs: [10.96.12.34]
              selector: {tier: frontend, app: web}
              ports:
              - {name: http, port: 80, targetPort: 8080, nodePort: 30080, protocol: TCP}
              - {name: dns, port: 53, protocol: UDP}
            """);
    assertThat(cells("services", nodePort))
        .containsExactly(
            "web",
            "NodePort",
            "10.96.12.34",
            "<none>",
            "80:30080/TCP,53/UDP",
            "2d3h",
            "app=web,tier=frontend");

    ObjectNode headless =
        yaml(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: default, creationTimestamp: "2024-06-01T11:59:55Z"}
            spec: {clusterIP: None, ports: [{port: 5432}]}
            """);
    assertThat(cells("services", headless))
        .containsExactly("db", "ClusterIP", "None", "<none>", "5432/TCP", "5s", "<none>");

    ObjectNode balancer =
        yaml(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: lb, namespace: default, creationTimestamp: "2024-06-01T11:00:00Z"}
            spec: {type: LoadBalancer, clusterIP: 10.96.0.9, ports: [{port: 443, nodePort: 31443, protocol: TCP}]}
            """);
    assertThat(cells("services", balancer).subList(0, 5))
        .containsExactly("lb", "LoadBalancer", "10.96.0.9", "<pending>", "443:31443/TCP");
    balancer
        .putObject("status")
        .putObject("loadBalancer")
        .putArray("ingress")
        .addObject()
        .put("hostname", "lb.example.com");
    assertThat(cells("services", balancer).get(3)).isEqualTo("lb.example.com");

    ObjectNode external =
        yaml(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: search, namespace: default}
            spec: {type: ExternalName, externalName: search.example.com}
            """);
    assertThat(cells("services", external))
        .containsExactly(
            "search",
            "ExternalName",
            "<none>",
            "search.example.com",
            "<none>",
            "<unknown>",
            "<none>");
  }

  @Test
  void endpointsListThreeAddressesAndCountTheRest() {
    assertThat(columns("endpoints")).containsExactly("Name", "Endpoints", "Age");
    ObjectNode ep =
        yaml(
            """
            apiVersion: v1
            kind: Endpoints
            metadata: {name: web, namespace: default, creationTimestamp: "2024-05-30T09:00:00Z"}
            subsets:
            - addresses: [{ip: 10.244.1.5}, {ip: 10.244.1.6}]
              ports: [{name: http, port: 8080, protocol: TCP}]
            - addresses: [{ip: 10.244.2.7}, {ip: 10.244.2.8}, {ip: "fd00::9"}]
              notReadyAddresses: [{ip: 10.244.3.1}]
              ports: [{name: http, port: 8080, protocol: TCP}]
            """);
    assertThat(cells("endpoints", ep))
        .containsExactly(
            "web", "10.244.1.5:8080,10.244.1.6:8080,10.244.2.7:8080 + 2 more...", "2d3h");

    ObjectNode few =
        yaml(
            """
            apiVersion: v1
            kind: Endpoints
            metadata: {name: dns, namespace: kube-system, creationTimestamp: "2024-06-01T11:00:00Z"}
            subsets:
            - addresses: [{ip: "fd00::1"}]
              ports: [{port: 53, protocol: UDP}]
            """);
    assertThat(cells("endpoints", few)).containsExactly("dns", "[fd00::1]:53", "60m");
    ObjectNode none =
        yaml("{apiVersion: v1, kind: Endpoints, metadata: {name: idle, namespace: default}}");
    assertThat(cells("endpoints", none).get(1)).isEqualTo("<none>");
  }

  @Test
  void endpointSlices() {
    assertThat(columns("endpointslices"))
        .containsExactly("Name", "AddressType", "Ports", "Endpoints", "Age");
    ObjectNode slice =
        yaml(
            """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-abc12, namespace: default, creationTimestamp: "2024-06-01T11:57:00Z"}
            addressType: IPv4
            ports: [{name: http, port: 80, protocol: TCP}]
            endpoints:
            - addresses: [10.244.1.5]
              conditions: {ready: true}
            - addresses: [10.244.1.6]
            """);
    assertThat(cells("endpointslices", slice))
        .containsExactly("web-abc12", "IPv4", "80", "10.244.1.5,10.244.1.6", "3m");
  }

  @Test
  void configMapsSecretsAndServiceAccountsCountTheirEntries() {
    assertThat(columns("configmaps")).containsExactly("Name", "Data", "Age");
    assertThat(cells("configmaps", yaml(CONFIG_MAP))).containsExactly("app-config", 3L, "70m");

    assertThat(columns("secrets")).containsExactly("Name", "Type", "Data", "Age");
    ObjectNode tls =
        yaml(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: web-tls, namespace: default, creationTimestamp: "2024-06-01T11:59:00Z"}
            type: kubernetes.io/tls
            data: {tls.crt: LS0tLS1CRUdJTg==, tls.key: LS0tLS1CRUdJTg==}
            """);
    assertThat(cells("secrets", tls)).containsExactly("web-tls", "kubernetes.io/tls", 2L, "60s");
    ObjectNode untyped =
        yaml("{apiVersion: v1, kind: Secret, metadata: {name: s}, stringData: {a: b}}");
    assertThat(cells("secrets", untyped)).containsExactly("s", "Opaque", 0L, "<unknown>");

    assertThat(columns("serviceaccounts")).containsExactly("Name", "Secrets", "Age");
    ObjectNode sa =
        yaml(
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: builder, namespace: ci, creationTimestamp: "2024-06-01T09:00:00Z"}
            secrets: [{name: builder-token}]
            """);
    assertThat(cells("serviceaccounts", sa)).containsExactly("builder", 1L, "3h");
  }

  @Test
  void namespaces() {
    assertThat(columns("namespaces")).containsExactly("Name", "Status", "Age");
    ObjectNode ns =
        yaml(
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a, creationTimestamp: "2024-06-01T04:30:00Z", deletionTimestamp: "2024-06-01T11:59:00Z"}
            status: {phase: Terminating}
            """);
    assertThat(cells("namespaces", ns)).containsExactly("team-a", "Terminating", "7h30m");
    ObjectNode fresh = yaml("{apiVersion: v1, kind: Namespace, metadata: {name: b}}");
    assertThat(cells("namespaces", fresh).get(1)).isEqualTo("Active");
  }

  @Test
  void events() {
    assertThat(columns("events"))
        .containsExactly(
            "Last Seen",
            "Type",
            "Reason",
            "Object",
            "Subobject*",
            "Source*",
            "Message",
            "First Seen*",
            "Count*",
            "Name*");
    ObjectNode backOff =
        yaml(
            """
            apiVersion: v1
            kind: Event
            metadata: {name: web-7d4b9c8f6-x2x9q.17d5f1c2a3b4c5d6, namespace: default}
            involvedObject:
              apiVersion: v1
              kind: Pod
              name: web-7d4b9c8f6-x2x9q
              namespace: default
              fieldPath: spec.containers{nginx}
            reason: BackOff
            message: "Back-off restarting failed container nginx in pod web-7d4b9c8f6-x2x9q_default\\n"
            source: {component: kubelet, host: node-1}
            firstTimestamp: "2024-06-01T11:20:00Z"
            lastTimestamp: "2024-06-01T11:59:30Z"
            count: 12
            type: Warning
            """);
    assertThat(cells("events", backOff))
        .containsExactly(
            "30s",
            "Warning",
            "BackOff",
            "pod/web-7d4b9c8f6-x2x9q",
            "spec.containers{nginx}",
            "kubelet, node-1",
            "Back-off restarting failed container nginx in pod web-7d4b9c8f6-x2x9q_default",
            "40m",
            12L,
            "web-7d4b9c8f6-x2x9q.17d5f1c2a3b4c5d6");

    ObjectNode scheduled =
        yaml(
            """
            apiVersion: v1
            kind: Event
            metadata: {name: web.1, namespace: default}
            involvedObject: {kind: Pod, name: web, namespace: default}
            reason: Scheduled
            message: Successfully assigned default/web to node-1
            eventTime: "2024-06-01T11:58:00.123456Z"
            reportingComponent: default-scheduler
            reportingInstance: default-scheduler-control-plane
            type: Normal
            """);
    assertThat(cells("events", scheduled))
        .containsExactly(
            "119s",
            "Normal",
            "Scheduled",
            "pod/web",
            "",
            "default-scheduler, default-scheduler-control-plane",
            "Successfully assigned default/web to node-1",
            "119s",
            1L,
            "web.1");

    ObjectNode series =
        yaml(
            """
            apiVersion: v1
            kind: Event
            metadata: {name: n.1, namespace: default}
            involvedObject: {kind: Node}
            reason: Rebooted
            eventTime: "2024-06-01T10:00:00.000000Z"
            series: {count: 4, lastObservedTime: "2024-06-01T11:59:00.000000Z"}
            reportingComponent: kubelet
            type: Warning
            """);
    List<Object> seriesCells = cells("events", series);
    assertThat(seriesCells.get(0)).isEqualTo("60s");
    assertThat(seriesCells.get(3)).isEqualTo("node");
    assertThat(seriesCells.get(5)).isEqualTo("kubelet");
    assertThat(seriesCells.get(7)).isEqualTo("120m");
    assertThat(seriesCells.get(8)).isEqualTo(4L);
  }

  @Test
  void deployments() {
    assertThat(columns("deployments"))
        .containsExactly(
            "Name",
            "Ready",
            "Up-to-date",
            "Available",
            "Age",
            "Containers*",
            "Images*",
            "Selector*");
    ObjectNode d =
        yaml(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default, creationTimestamp: "2024-05-30T09:00:00Z", generation: 2}
            spec:
              replicas: 3
              selector:
                matchLabels: {tier: fe}
                matchExpressions:
                - {key: app, operator: In, values: [web, api]}
                - {key: canary, operator: DoesNotExist}
              template:
                metadata: {labels: {app: web, tier: fe}}
                spec:
                  containers:
                  - {name: nginx, image: "nginx:1.25"}
                  - {name: exporter, image: "nginx/nginx-prometheus-exporter:1.1"}
            status: {replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2}
            """);
    assertThat(cells("deployments", d))
        .containsExactly(
            "web",
            "2/3",
            3L,
            2L,
            "2d3h",
            "nginx,exporter",
            "nginx:1.25,nginx/nginx-prometheus-exporter:1.1",
            "app in (api,web),!canary,tier=fe");
    ObjectNode bare =
        yaml(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: new, namespace: default}
            spec: {selector: {matchLabels: {app: new}}, template: {spec: {containers: [{name: a, image: a}]}}}
            """);
    assertThat(cells("deployments", bare).subList(0, 4)).containsExactly("new", "0/1", 0L, 0L);
  }

  @Test
  void replicaSets() {
    assertThat(columns("replicasets"))
        .containsExactly(
            "Name", "Desired", "Current", "Ready", "Age", "Containers*", "Images*", "Selector*");
    ObjectNode rs =
        yaml(
            """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: web-7d4b9c8f6, namespace: default, creationTimestamp: "2024-06-01T11:57:00Z"}
            spec:
              replicas: 3
              selector: {matchLabels: {pod-template-hash: 7d4b9c8f6, app: web}}
              template:
                spec:
                  containers: [{name: nginx, image: "nginx:1.25"}]
            status: {replicas: 3, readyReplicas: 1, availableReplicas: 1}
            """);
    assertThat(cells("replicasets", rs))
        .containsExactly(
            "web-7d4b9c8f6",
            3L,
            3L,
            1L,
            "3m",
            "nginx",
            "nginx:1.25",
            "app=web,pod-template-hash=7d4b9c8f6");
  }

  @Test
  void jobs() {
    assertThat(columns("jobs"))
        .containsExactly(
            "Name",
            "Status",
            "Completions",
            "Duration",
            "Age",
            "Containers*",
            "Images*",
            "Selector*");
    ObjectNode done =
        yaml(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: pi, namespace: default, creationTimestamp: "2024-06-01T11:50:00Z"}
            spec:
              completions: 1
              parallelism: 1
              selector: {matchLabels: {batch.kubernetes.io/controller-uid: 5d3c2b1a}}
              template:
                spec:
                  containers: [{name: pi, image: "perl:5.34.0"}]
                  restartPolicy: Never
            status:
              startTime: "2024-06-01T11:50:01Z"
              completionTime: "2024-06-01T11:50:13Z"
              succeeded: 1
              conditions:
              - {type: SuccessCriteriaMet, status: "True"}
              - {type: Complete, status: "True"}
            """);
    assertThat(cells("jobs", done))
        .containsExactly(
            "pi",
            "Complete",
            "1/1",
            "12s",
            "10m",
            "pi",
            "perl:5.34.0",
            "batch.kubernetes.io/controller-uid=5d3c2b1a");

    ObjectNode queue =
        yaml(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: queue, namespace: default, creationTimestamp: "2024-06-01T11:56:00Z"}
            spec:
              parallelism: 3
              template: {spec: {containers: [{name: w, image: worker}]}}
            status: {startTime: "2024-06-01T11:56:58Z", active: 3, succeeded: 2}
            """);
    assertThat(cells("jobs", queue).subList(0, 5))
        .containsExactly("queue", "Running", "2/1 of 3", "3m2s", "4m");
    assertThat(cells("jobs", queue).get(7)).isEqualTo("<none>");

    ObjectNode failed =
        yaml(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: bad, namespace: default}
            spec: {template: {spec: {containers: [{name: b, image: b}]}}}
            status: {failed: 6, conditions: [{type: FailureTarget, status: "True"}, {type: Failed, status: "True"}]}
            """);
    assertThat(cells("jobs", failed).subList(1, 4)).containsExactly("Failed", "0/1", "");
    ObjectNode suspended =
        yaml(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: later, namespace: default}
            spec: {completions: 5, suspend: true, template: {spec: {containers: []}}}
            status: {conditions: [{type: Suspended, status: "True"}]}
            """);
    assertThat(cells("jobs", suspended).subList(1, 3)).containsExactly("Suspended", "0/5");
  }

  @Test
  void horizontalPodAutoscalers() {
    assertThat(columns("horizontalpodautoscalers"))
        .containsExactly("Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age");
    ObjectNode hpa =
        yaml(
            """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web, namespace: default, creationTimestamp: "2024-06-01T10:00:00Z"}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
              minReplicas: 2
              maxReplicas: 10
              metrics:
              - type: Resource
                resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
            status:
              currentReplicas: 3
              desiredReplicas: 3
              currentMetrics:
              - type: Resource
                resource: {name: cpu, current: {averageUtilization: 23, averageValue: 115m}}
            """);
    assertThat(cells("horizontalpodautoscalers", hpa))
        .containsExactly("web", "Deployment/web", "cpu: 23%/50%", "2", 10L, 3L, "120m");

    ObjectNode many =
        yaml(
            """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: api, namespace: default}
            spec:
              scaleTargetRef: {kind: Deployment, name: api}
              maxReplicas: 5
              metrics:
              - type: Resource
                resource: {name: memory, target: {type: AverageValue, averageValue: 500Mi}}
              - type: Pods
                pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "100"}}
              - type: External
                external: {metric: {name: queue}, target: {type: Value, value: "30"}}
            """);
    assertThat(cells("horizontalpodautoscalers", many).subList(2, 6))
        .containsExactly("memory: <unknown>/500Mi, <unknown>/100 + 1 more...", "1", 5L, 0L);

    ObjectNode defaults =
        yaml(
            """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: plain, namespace: default}
            spec: {scaleTargetRef: {kind: Deployment, name: plain}, maxReplicas: 4}
            """);
    assertThat(cells("horizontalpodautoscalers", defaults).get(2)).isEqualTo("cpu: <unknown>/80%");
  }

  @Test
  void leases() {
    assertThat(columns("leases")).containsExactly("Name", "Holder", "Age");
    ObjectNode lease =
        yaml(
            """
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata: {name: node-1, namespace: kube-node-lease, creationTimestamp: "2024-04-17T05:00:00Z"}
            spec: {holderIdentity: node-1, leaseDurationSeconds: 40, renewTime: "2024-06-01T11:59:58.000000Z"}
            """);
    assertThat(cells("leases", lease)).containsExactly("node-1", "node-1", "45d");
    ObjectNode free =
        yaml("{apiVersion: coordination.k8s.io/v1, kind: Lease, metadata: {name: x}}");
    assertThat(cells("leases", free).get(1)).isEqualTo("");
  }

  // --- fixtures and helpers -----------------------------------------------------------------

  static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: app-config
        namespace: default
        uid: 0b9a5d52-6f1e-4a8e-9c4b-2d7f3e1a8b6c
        resourceVersion: "4711"
        creationTimestamp: "2024-06-01T10:50:00Z"
        labels: {app: web}
      data: {LOG_LEVEL: info, config.yaml: "port: 8080"}
      binaryData: {logo.png: iVBORw0KGgo=}
      """;

  static final String RUNNING_POD =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-7d4b9c8f6-x2x9q
        namespace: default
        creationTimestamp: "2024-06-01T11:55:00Z"
        labels: {app: web, pod-template-hash: 7d4b9c8f6}
      spec:
        nodeName: node-1
        containers:
        - {name: nginx, image: "nginx:1.25"}
        - {name: exporter, image: "nginx/nginx-prometheus-exporter:1.1"}
      status:
        phase: Running
        podIP: 10.244.1.5
        podIPs: [{ip: 10.244.1.5}]
        conditions:
        - {type: Initialized, status: "True"}
        - {type: Ready, status: "True"}
        - {type: PodScheduled, status: "True"}
        containerStatuses:
        - name: nginx
          ready: true
          restartCount: 3
          started: true
          state: {running: {startedAt: "2024-06-01T11:57:00Z"}}
          lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: "2024-06-01T11:56:58Z"}}
        - name: exporter
          ready: true
          restartCount: 0
          state: {running: {startedAt: "2024-06-01T11:55:10Z"}}
      """;

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) Json.yaml().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Column names, with "*" after those only -o wide shows. */
  List<String> columns(String resource) {
    List<String> names = new ArrayList<>();
    for (JsonNode c :
        convertor
            .toTable(resource, List.of(), IncludeObject.NONE, null, null, NOW)
            .path("columnDefinitions")) {
      names.add(c.path("name").asText() + (c.path("priority").asInt() == 1 ? "*" : ""));
    }
    return names;
  }

  /** The cells of the object's row: strings as String, numbers as Long. */
  List<Object> cells(String resource, ObjectNode object) {
    JsonNode row =
        convertor
            .toTable(resource, List.of(object), IncludeObject.METADATA, "1", null, NOW)
            .path("rows")
            .get(0);
    List<Object> cells = new ArrayList<>();
    for (JsonNode cell : row.path("cells")) {
      cells.add(cell.isNumber() ? (Object) cell.asLong() : cell.asText());
    }
    assertThat(cells).hasSameSizeAs(columns(resource));
    return cells;
  }
}
