package dev.keelson.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import io.fabric8.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.Test;

/** The JSON patch of a change: applied to the version before, it gives the version after. */
class ChangePatchTest {

  private static ObjectNode deployment(int replicas, String resourceVersion) {
    return Json.parseObject(
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
            + "\"namespace\":\"default\",\"resourceVersion\":\""
            + resourceVersion
            + "\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":"
            + replicas
            + ",\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}}}");
  }

  @Test
  void anUpdateIsItsReplacementsWithTheValuesBefore() {
    ArrayNode patch = ChangePatch.between(deployment(3, "5"), deployment(5, "9"));
    assertThat(Json.text(patch))
        .isEqualTo(
            "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5,\"fromValue\":3}]");
  }

  @Test
  void applyingThePatchToTheVersionBeforeGivesTheVersionAfter() {
    ObjectNode before = deployment(3, "5");
    ObjectNode after = deployment(3, "9");
    ((ObjectNode) after.at("/spec/template/spec/containers/0")).put("image", "busybox:2");
    ((ObjectNode) after.at("/metadata/labels")).remove("app");
    ((ObjectNode) after.at("/metadata/labels")).put("tier", "front");
    ArrayNode patch = ChangePatch.between(before, after);
    assertThat(patch.findValuesAsText("op")).doesNotContain("move", "copy");
    ((ObjectNode) before.get("metadata")).remove("resourceVersion");
    ((ObjectNode) after.get("metadata")).remove("resourceVersion");
    assertThat(JsonPatch.apply(patch, before)).isEqualTo(after);
  }

  @Test
  void aCreateIsFromNothingAndADeleteToNothing() {
    ObjectNode object = deployment(3, "5");
    ArrayNode created = ChangePatch.between(null, object);
    ((ObjectNode) object.get("metadata")).remove("resourceVersion");
    assertThat(JsonPatch.apply(created, Json.object())).isEqualTo(object);
    assertThat(created.findValuesAsText("op")).containsOnly("add");
    ArrayNode deleted = ChangePatch.between(object, null);
    assertThat(deleted.findValuesAsText("op")).containsOnly("remove");
    assertThat(JsonPatch.apply(deleted, object)).isEqualTo(Json.object());
  }

  @Test
  void theResourceVersionAloneIsNoChange() {
    assertThat(ChangePatch.between(deployment(3, "5"), deployment(3, "6"))).isEmpty();
  }

  @Test
  void aSecretsValuesAreHiddenButTheirChangesShow() {
    SecretValues secrets = new SecretValues();
    ResourceKey key = ResourceKey.of("", "Secret", "default", "db");
    ObjectNode before =
        Json.parseObject(
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\"},"
                + "\"data\":{\"password\":\"aHVudGVyMg==\",\"user\":\"YWRtaW4=\"}}");
    ObjectNode after = before.deepCopy();
    ((ObjectNode) after.get("data")).put("password", "c2VjcmV0");
    ((ObjectNode) after.get("metadata"))
        .putObject("annotations")
        .put(SecretValues.LAST_APPLIED, "{\"data\":{\"password\":\"c2VjcmV0\"}}")
        .put("team", "db");
    ArrayNode patch = ChangePatch.between(secrets.hidden(key, before), secrets.hidden(key, after));
    assertThat(patch.findValuesAsText("path"))
        .containsExactly("/metadata/annotations", "/data/password");
    assertThat(Json.text(patch)).doesNotContain("aHVudGVyMg==", "c2VjcmV0", "YWRtaW4=");
    assertThat(patch.get(0).path("value").path("team").asText()).isEqualTo("db");
    assertThat(patch.get(0).path("value").path(SecretValues.LAST_APPLIED).asText())
        .startsWith("(redacted ");
    assertThat(patch.get(1).path("value").asText()).startsWith("(redacted ");
    assertThat(patch.get(1).path("value")).isNotEqualTo(patch.get(1).path("fromValue"));
    // Not a Secret: as it is.
    ObjectNode configMap = before.deepCopy().put("kind", "ConfigMap");
    assertThat(secrets.hidden(ResourceKey.of("", "ConfigMap", "default", "db"), configMap))
        .isSameAs(configMap);
    assertThat(before.at("/data/password").asText()).isEqualTo("aHVudGVyMg==");
  }
}
