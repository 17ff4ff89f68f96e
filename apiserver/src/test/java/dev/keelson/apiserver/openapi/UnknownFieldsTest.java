package dev.keelson.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {

  private static final GroupKind DEPLOYMENT = new GroupKind("apps", "Deployment");

  private static ObjectNode deployment(String containerExtra, String specExtra) {
    return Json.parseObject(
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
            + "\"metadata\":{\"name\":\"web\",\"labels\":{\"any-key\":\"v\"},"
            + "\"managedFields\":[{\"manager\":\"m\",\"fieldsV1\":{\"f:spec\":{\"f:x\":{}}}}]},"
            + "\"spec\":{\"replicas\":1"
            + specExtra
            + ",\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
            + "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":\"25%\",\"maxUnavailable\":1}},"
            + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":["
            + "{\"name\":\"a\",\"image\":\"nginx\",\"resources\":{\"limits\":{\"cpu\":\"1\"}}},"
            + "{\"name\":\"b\",\"image\":\"nginx\""
            + containerExtra
            + ",\"ports\":[{\"containerPort\":80}]}]}}}}");
  }

  @Test
  void aValidObjectHasNoUnknownFields() {
    assertThat(UnknownFields.find(DEPLOYMENT, deployment("", ""))).isEmpty();
  }

  @Test
  void unknownFieldsAreNamedByTheirPath() {
    assertThat(UnknownFields.find(DEPLOYMENT, deployment(",\"imagee\":\"x\"", ",\"replica\":2")))
        .containsExactly("spec.replica", "spec.template.spec.containers[1].imagee");
  }

  @Test
  void aTopLevelUnknownFieldIsFound() {
    ObjectNode pod =
        Json.parseObject(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"specs\":{}}");
    assertThat(UnknownFields.find(GroupKind.core("Pod"), pod)).containsExactly("specs");
  }

  @Test
  void onlyStrictValidationIsAnError() {
    ObjectNode bad = deployment(",\"imagee\":\"x\"", "");
    assertThat(UnknownFields.strictError("Warn", DEPLOYMENT, bad)).isEmpty();
    assertThat(UnknownFields.strictError(null, DEPLOYMENT, bad)).isEmpty();
    assertThat(UnknownFields.strictError("Strict", DEPLOYMENT, deployment("", ""))).isEmpty();
    assertThat(UnknownFields.strictError("Strict", DEPLOYMENT, bad))
        .contains(
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error:"
                + " unknown field \"spec.template.spec.containers[1].imagee\"");
  }
}
