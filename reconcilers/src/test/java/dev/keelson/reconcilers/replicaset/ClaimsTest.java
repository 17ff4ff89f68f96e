package dev.keelson.reconcilers.replicaset;

import static dev.keelson.reconcilers.replicaset.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.selector.LabelSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimsTest {

  static final LabelSelector APP_WEB = LabelSelector.parse("app=web");

  static ObjectNode owner(boolean deleting) {
    ObjectNode rs = Json.object();
    rs.with("metadata").put("name", "web").put("namespace", "default").put("uid", "me");
    if (deleting) {
      rs.with("metadata").put("deletionTimestamp", "2026-01-01T00:00:00Z");
    }
    return rs;
  }

  static List<String> names(List<JsonNode> pods) {
    return pods.stream().map(Meta::name).toList();
  }

  final List<JsonNode> pods =
      List.of(
          pod("mine").label("app", "web").ownedBy("me").build(),
          pod("mine-relabelled").label("app", "db").ownedBy("me").build(),
          pod("orphan").label("app", "web").build(),
          pod("orphan-other-labels").label("app", "db").build(),
          pod("orphan-deleting").label("app", "web").deleting().build(),
          pod("theirs").label("app", "web").ownedBy("someone-else").build());

  @Test
  void keepsAdoptsAndReleases() {
    Claims claims = Claims.of(owner(false), APP_WEB, pods);
    assertThat(names(claims.owned())).containsExactly("mine");
    assertThat(names(claims.adopt())).containsExactly("orphan");
    assertThat(names(claims.release())).containsExactly("mine-relabelled");
  }

  @Test
  void anOwnerBeingDeletedNeitherAdoptsNorReleases() {
    Claims claims = Claims.of(owner(true), APP_WEB, pods);
    assertThat(names(claims.owned())).containsExactly("mine");
    assertThat(claims.adopt()).isEmpty();
    assertThat(claims.release()).isEmpty();
  }

  @Test
  void anEmptySelectorClaimsNothingNew() {
    Claims claims = Claims.of(owner(false), LabelSelector.everything(), pods);
    assertThat(claims.owned()).isEmpty();
    assertThat(claims.adopt()).isEmpty();
  }

  @Test
  void anAdoptedPodIsControlledByTheOwnerAndBlocksItsDeletion() {
    ObjectNode orphan = pod("orphan").label("app", "web").build();
    ObjectNode owner = owner(false);
    owner.put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
    Owners.addOwner(orphan, Owners.controllerRef(owner));
    JsonNode ref = Owners.controllerOf(orphan).orElseThrow();
    assertThat(ref.path("uid").asText()).isEqualTo("me");
    assertThat(ref.path("kind").asText()).isEqualTo("ReplicaSet");
    assertThat(ref.path("blockOwnerDeletion").asBoolean()).isTrue();
    Owners.removeOwner(orphan, "me");
    assertThat(Owners.controllerOf(orphan)).isEmpty();
    assertThat(orphan.path("metadata").has("ownerReferences")).isFalse();
  }
}
