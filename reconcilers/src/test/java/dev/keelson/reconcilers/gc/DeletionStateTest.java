package dev.keelson.reconcilers.gc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.OwnerRef;
import dev.keelson.projection.StoredObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading an object's deletion state from its metadata, and the collector's edits of it. */
class DeletionStateTest {

  private static StoredObject stored(String json) {
    ObjectNode object = Json.parseObject(json);
    return new StoredObject(
        ResourceKey.of(object),
        1,
        Json.bytes(object),
        Meta.uid(object),
        Map.of(),
        Map.of(),
        OwnerRef.of(object));
  }

  @Test
  void readsDeletionTimestampAndFinalizersFromTheMetadataAlone() {
    DeletionState state =
        DeletionState.of(
            stored(
                """
                {"apiVersion":"v1","kind":"ConfigMap",
                 "data":{"deletionTimestamp":"not this one","finalizers":"nor this"},
                 "metadata":{"name":"a","namespace":"n","labels":{"x":"y"},
                   "deletionTimestamp":"2024-01-01T00:00:00Z",
                   "finalizers":["foregroundDeletion","example.com/keep"]},
                 "status":{"deletionTimestamp":null}}
                """));
    assertThat(state.deleting()).isTrue();
    assertThat(state.finalizers()).containsExactly("foregroundDeletion", "example.com/keep");
    assertThat(state.deletingDependents()).isTrue();
  }

  @Test
  void anObjectNotBeingDeletedIsLiveWhateverItsOtherFieldsSay() {
    DeletionState state =
        DeletionState.of(
            stored(
                """
                {"apiVersion":"v1","kind":"ConfigMap",
                 "metadata":{"name":"a","namespace":"n","finalizers":["orphan"]},
                 "data":{"deletionTimestamp":"2024-01-01T00:00:00Z"}}
                """));
    assertThat(state.deleting()).isFalse();
    assertThat(state.has(DeletionState.ORPHAN)).isTrue();
    assertThat(state.deletingDependents()).isFalse();
    assertThat(
            DeletionState.of(
                stored("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}")))
        .isEqualTo(DeletionState.LIVE);
  }

  @Test
  void editsRemoveReferencesAndFinalizersAndUnblockOwners() {
    ObjectNode object =
        Json.parseObject(
            """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","finalizers":["orphan"],
              "ownerReferences":[
                {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","blockOwnerDeletion":true},
                {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"2"}]}}
            """);
    assertThat(OwnerEdits.unblockOwners(object)).isTrue();
    assertThat(OwnerEdits.unblockOwners(object)).isFalse();
    assertThat(OwnerRef.of(object)).noneMatch(OwnerRef::blockOwnerDeletion);
    assertThat(OwnerEdits.removeOwners(object, Set.of("1"))).isTrue();
    assertThat(OwnerRef.of(object)).extracting(OwnerRef::uid).containsExactly("2");
    assertThat(OwnerEdits.removeOwners(object, Set.of("1"))).isFalse();
    assertThat(OwnerEdits.removeOwners(object, Set.of("2"))).isTrue();
    assertThat(object.path("metadata").has("ownerReferences")).isFalse();
    assertThat(OwnerEdits.removeFinalizer(object, "foregroundDeletion")).isFalse();
    assertThat(OwnerEdits.removeFinalizer(object, "orphan")).isTrue();
    assertThat(object.path("metadata").has("finalizers")).isFalse();
    assertThat(OwnerRef.of(object)).isEqualTo(List.of());
  }
}
