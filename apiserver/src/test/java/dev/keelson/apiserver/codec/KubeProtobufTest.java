package dev.keelson.apiserver.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.keelson.api.Json;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Coordination;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubeProtobufTest {

  private static final long JAN_2_2024 = 1704164645L; // 2024-01-02T03:04:05Z

  @Test
  void configMapKeepsTextAndBinaryData() {
    V1.ConfigMap configMap =
        V1.ConfigMap.newBuilder()
            .setMetadata(meta("settings").setNamespace("team-a"))
            .putData("mode", "fast")
            .putData("empty", "")
            .putBinaryData("blob", ByteString.copyFrom(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}))
            .build();

    ObjectNode json = KubeProtobuf.decode(envelope("v1", "ConfigMap", configMap));

    assertThat(json)
        .isEqualTo(
            Json.parseObject(
                "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\","
                    + "\"metadata\":{\"name\":\"settings\",\"namespace\":\"team-a\","
                    + "\"creationTimestamp\":null},"
                    + "\"data\":{\"empty\":\"\",\"mode\":\"fast\"},"
                    + "\"binaryData\":{\"blob\":\"AAH+/w==\"}}"));
    assertThat(json.fieldNames().next()).isEqualTo("kind");
  }

  @Test
  void secretBytesBecomeBase64() {
    V1.Secret secret =
        V1.Secret.newBuilder()
            .setMetadata(meta("db"))
            .setType("Opaque")
            .putData("password", ByteString.copyFromUtf8("hunter2"))
            .build();

    ObjectNode json = KubeProtobuf.decode(envelope("v1", "Secret", secret));

    assertThat(json.path("data").path("password").asText()).isEqualTo("aHVudGVyMg==");
    assertThat(json.path("type").asText()).isEqualTo("Opaque");
  }

  @Test
  void deploymentCarriesQuantitiesIntOrStringsAndTimes() {
    V1.Container container =
        V1.Container.newBuilder()
            .setName("web")
            .setImage("nginx:1.27")
            .addPorts(V1.ContainerPort.newBuilder().setContainerPort(8080).setProtocol("TCP"))
            .addEnv(V1.EnvVar.newBuilder().setName("MODE").setValue("prod"))
            .setResources(
                V1.ResourceRequirements.newBuilder()
                    .putLimits("cpu", quantity("500m"))
                    .putLimits("memory", quantity("128Mi")))
            .build();
    V1Apps.Deployment deployment =
        V1Apps.Deployment.newBuilder()
            .setMetadata(
                meta("web")
                    .setCreationTimestamp(
                        Meta.Time.newBuilder().setSeconds(JAN_2_2024).setNanos(999)))
            .setSpec(
                V1Apps.DeploymentSpec.newBuilder()
                    .setReplicas(3)
                    .setPaused(false)
                    .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                    .setTemplate(
                        V1.PodTemplateSpec.newBuilder()
                            .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "web"))
                            .setSpec(V1.PodSpec.newBuilder().addContainers(container)))
                    .setStrategy(
                        V1Apps.DeploymentStrategy.newBuilder()
                            .setType("RollingUpdate")
                            .setRollingUpdate(
                                V1Apps.RollingUpdateDeployment.newBuilder()
                                    .setMaxSurge(text("25%"))
                                    .setMaxUnavailable(number(1)))))
            .build();

    ObjectNode json = KubeProtobuf.decode(envelope("apps/v1", "Deployment", deployment));

    assertThat(json)
        .isEqualTo(
            Json.parseObject(
                "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\","
                    + "\"metadata\":{\"name\":\"web\",\"creationTimestamp\":\"2024-01-02T03:04:05Z\"},"
                    + "\"spec\":{\"replicas\":3,"
                    + "\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                    + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
                    + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\","
                    + "\"ports\":[{\"containerPort\":8080,\"protocol\":\"TCP\"}],"
                    + "\"env\":[{\"name\":\"MODE\",\"value\":\"prod\"}],"
                    + "\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}}]}},"
                    + "\"strategy\":{\"type\":\"RollingUpdate\","
                    + "\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":\"25%\"}}}}"));
  }

  @Test
  void zeroOfAGoPointerIsKeptAndZeroOfAPlainFieldIsDropped() {
    V1Apps.Deployment deployment =
        V1Apps.Deployment.newBuilder()
            .setMetadata(meta("idle").setGenerateName("").setGeneration(0).setUid(""))
            .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0).setMinReadySeconds(0))
            .build();

    ObjectNode json = KubeProtobuf.decode(envelope("apps/v1", "Deployment", deployment));

    assertThat(json.path("spec")).isEqualTo(Json.parseObject("{\"replicas\":0}"));
    assertThat(json.path("metadata"))
        .isEqualTo(Json.parseObject("{\"name\":\"idle\",\"creationTimestamp\":null}"));
  }

  @Test
  void microTimeHasSixFractionalDigitsAndFieldsV1IsRawJson() {
    V1Coordination.Lease lease =
        V1Coordination.Lease.newBuilder()
            .setMetadata(
                meta("leader")
                    .addManagedFields(
                        Meta.ManagedFieldsEntry.newBuilder()
                            .setManager("kube-scheduler")
                            .setFieldsType("FieldsV1")
                            .setFieldsV1(
                                Meta.FieldsV1.newBuilder()
                                    .setRaw(ByteString.copyFromUtf8("{\"f:spec\":{}}")))))
            .setSpec(
                V1Coordination.LeaseSpec.newBuilder()
                    .setHolderIdentity("node-1")
                    .setLeaseDurationSeconds(15)
                    .setLeaseTransitions(0)
                    .setRenewTime(
                        Meta.MicroTime.newBuilder().setSeconds(JAN_2_2024).setNanos(123456789)))
            .build();

    ObjectNode json = KubeProtobuf.decode(envelope("coordination.k8s.io/v1", "Lease", lease));

    assertThat(json.path("spec"))
        .isEqualTo(
            Json.parseObject(
                "{\"holderIdentity\":\"node-1\",\"leaseDurationSeconds\":15,"
                    + "\"renewTime\":\"2024-01-02T03:04:05.123456Z\",\"leaseTransitions\":0}"));
    assertThat(json.path("metadata").path("managedFields").get(0).path("fieldsV1"))
        .isEqualTo(Json.parseObject("{\"f:spec\":{}}"));
  }

  @Test
  void deleteOptionsUnderAnyServedGroupVersion() {
    Meta.DeleteOptions options =
        Meta.DeleteOptions.newBuilder()
            .setGracePeriodSeconds(0)
            .setPropagationPolicy("Foreground")
            .build();

    ObjectNode json = KubeProtobuf.decode(envelope("apps/v1", "DeleteOptions", options));

    assertThat(json)
        .isEqualTo(
            Json.parseObject(
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"apps/v1\","
                    + "\"gracePeriodSeconds\":0,\"propagationPolicy\":\"Foreground\"}"));
  }

  @Test
  void volumeSourcesAreInlinedAsInJson() {
    V1.Pod pod =
        V1.Pod.newBuilder()
            .setMetadata(meta("p"))
            .setSpec(
                V1.PodSpec.newBuilder()
                    .addVolumes(
                        V1.Volume.newBuilder()
                            .setName("cfg")
                            .setVolumeSource(
                                V1.VolumeSource.newBuilder()
                                    .setConfigMap(
                                        V1.ConfigMapVolumeSource.newBuilder()
                                            .setLocalObjectReference(
                                                V1.LocalObjectReference.newBuilder()
                                                    .setName("settings"))))))
            .build();

    ObjectNode json = KubeProtobuf.decode(envelope("v1", "Pod", pod));

    assertThat(json.path("spec").path("volumes").get(0))
        .isEqualTo(Json.parseObject("{\"name\":\"cfg\",\"configMap\":{\"name\":\"settings\"}}"));
  }

  @Test
  void goDurationText() {
    assertThat(GoTime.duration(0)).isEqualTo("0s");
    assertThat(GoTime.duration(30_000_000_000L)).isEqualTo("30s");
    assertThat(GoTime.duration(60_000_000_000L)).isEqualTo("1m0s");
    assertThat(GoTime.duration(3_600_000_000_000L)).isEqualTo("1h0m0s");
    assertThat(GoTime.duration(1_500_000_000L)).isEqualTo("1.5s");
    assertThat(GoTime.duration(250_000_000L)).isEqualTo("250ms");
    assertThat(GoTime.duration(1_500L)).isEqualTo("1.5µs");
    assertThat(GoTime.duration(-90_000_000_000L)).isEqualTo("-1m30s");
  }

  /** Bodies kubectl really sent, against the JSON the same kubectl prints for the same object. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "cm",
        "secret",
        "secrettls",
        "ns",
        "deploy",
        "deploy0",
        "svc",
        "svcnone",
        "svcnp",
        "job",
        "sa",
        "jobempty",
        "jobzero"
      })
  void matchesWhatKubectlWouldHaveSentAsJson(String name) {
    for (String version : new String[] {"1.32", "1.33"}) {
      byte[] body = resource("kubectl/" + name + "-" + version + ".pb");
      JsonNode expected = Json.parseObject(resource("kubectl/" + name + "-" + version + ".json"));

      ObjectNode actual = KubeProtobuf.decode(body);

      // Go writes an unset slice without omitempty as null; leaving it out means the same.
      assertThat(withGoNulls(actual, expected)).as(name + " " + version).isEqualTo(expected);
    }
  }

  @Test
  void recognisesTheMediaType() {
    assertThat(KubeProtobuf.isMediaType("application/vnd.kubernetes.protobuf")).isTrue();
    assertThat(KubeProtobuf.isMediaType("Application/VND.Kubernetes.Protobuf; charset=x")).isTrue();
    assertThat(KubeProtobuf.isMediaType("application/json")).isFalse();
    assertThat(KubeProtobuf.isMediaType(null)).isFalse();
  }

  @Test
  void rejectsAWrongMagic() {
    byte[] body = envelope("v1", "ConfigMap", V1.ConfigMap.newBuilder().build());
    body[2] = '9';

    assertThatThrownBy(() -> KubeProtobuf.decode(body))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k8s\\0");
    assertThatThrownBy(() -> KubeProtobuf.decode(new byte[] {'k', '8'}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> KubeProtobuf.decode("{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsTruncatedBytes() {
    byte[] whole = resource("kubectl/deploy-1.33.pb");
    for (int cut : new int[] {5, 20, whole.length / 2, whole.length - 1}) {
      byte[] truncated = Arrays.copyOf(whole, cut);

      assertThatThrownBy(() -> KubeProtobuf.decode(truncated))
          .as("cut at " + cut)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("truncated")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void rejectsAnUnknownKindOrVersion() {
    V1.ConfigMap configMap = V1.ConfigMap.newBuilder().setMetadata(meta("x")).build();

    assertThatThrownBy(() -> KubeProtobuf.decode(envelope("v1", "Widget", configMap)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no protobuf decoding for apiVersion \"v1\" kind \"Widget\"");
    assertThatThrownBy(() -> KubeProtobuf.decode(envelope("apps/v2", "Deployment", configMap)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsAnEncodedEnvelopeAndAMalformedObject() {
    byte[] gzipped =
        frame(
            Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("Secret"))
                .setRaw(ByteString.copyFromUtf8("x"))
                .setContentEncoding("gzip")
                .build());
    byte[] garbage =
        frame(
            Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("Secret"))
                .setRaw(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .build());

    assertThatThrownBy(() -> KubeProtobuf.decode(gzipped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contentEncoding");
    assertThatThrownBy(() -> KubeProtobuf.decode(garbage))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Secret is truncated or malformed");
  }

  /** Object metadata as client-go writes it: the zero creationTimestamp is an empty message. */
  private static Meta.ObjectMeta.Builder meta(String name) {
    return Meta.ObjectMeta.newBuilder()
        .setName(name)
        .setCreationTimestamp(Meta.Time.getDefaultInstance());
  }

  private static Quantity quantity(String text) {
    return Quantity.newBuilder().setString(text).build();
  }

  private static IntOrString text(String value) {
    return IntOrString.newBuilder().setType(1).setStrVal(value).build();
  }

  private static IntOrString number(int value) {
    return IntOrString.newBuilder().setType(0).setIntVal(value).build();
  }

  /** The frame client-go writes: magic, then runtime.Unknown with empty encoding and type. */
  private static byte[] envelope(String apiVersion, String kind, MessageLite object) {
    return frame(
        Runtime.Unknown.newBuilder()
            .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
            .setRaw(object.toByteString())
            .setContentEncoding("")
            .setContentType("")
            .build());
  }

  private static byte[] frame(Runtime.Unknown unknown) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'k', '8', 's', 0});
    out.writeBytes(unknown.toByteArray());
    return out.toByteArray();
  }

  private static byte[] resource(String name) {
    try (InputStream in = KubeProtobufTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A copy of {@code actual} with the keys added that are null in {@code expected} and absent in
   * {@code actual}: in kubectl's JSON these are unset slices without omitempty.
   */
  private static JsonNode withGoNulls(JsonNode actual, JsonNode expected) {
    if (!actual.isObject() && !actual.isArray()) {
      return actual;
    }
    JsonNode copy = actual.deepCopy();
    fillNulls(copy, expected);
    return copy;
  }

  private static void fillNulls(JsonNode actual, JsonNode expected) {
    if (actual.isObject() && expected.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getValue().isNull() && !actual.has(field.getKey())) {
          ((ObjectNode) actual).putNull(field.getKey());
        } else if (actual.has(field.getKey())) {
          fillNulls(actual.get(field.getKey()), field.getValue());
        }
      }
    } else if (actual.isArray() && expected.isArray()) {
      for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
        fillNulls(actual.get(i), expected.get(i));
      }
    }
  }
}
