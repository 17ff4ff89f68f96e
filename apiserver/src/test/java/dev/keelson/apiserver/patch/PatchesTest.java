package dev.keelson.apiserver.patch;

import static dev.keelson.apiserver.patch.PatchType.JSON_PATCH;
import static dev.keelson.apiserver.patch.PatchType.MERGE_PATCH;
import static dev.keelson.apiserver.patch.PatchType.STRATEGIC_MERGE_PATCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class PatchesTest {

  private static final GroupKind POD = GroupKind.core("Pod");
  private static final GroupKind SERVICE = GroupKind.core("Service");
  private static final GroupKind NODE = GroupKind.core("Node");
  private static final GroupKind DEPLOYMENT = new GroupKind("apps", "Deployment");
  private static final GroupKind JOB = new GroupKind("batch", "Job");
  private static final GroupKind CONFIG_MAP = GroupKind.core("ConfigMap");

  private static final String POD_JSON =
      """
      {"apiVersion":"v1","kind":"Pod",
       "metadata":{"name":"web","namespace":"default","labels":{"app":"web","tier":"front"},
                   "finalizers":["a","b","c"]},
       "spec":{"nodeSelector":{"disk":"ssd"},
               "containers":[
                 {"name":"app","image":"nginx:1.25","ports":[{"containerPort":80}],
                  "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
                 {"name":"sidecar","image":"busybox","args":["sleep","3600"]}],
               "tolerations":[{"key":"k1","operator":"Exists"}]}}
      """;

  // --- content types -------------------------------------------------------------------------

  @Test
  void contentTypesNameThePatchTypesIgnoringParameters() {
    assertThat(PatchType.fromContentType("application/merge-patch+json; charset=utf-8"))
        .contains(MERGE_PATCH);
    assertThat(PatchType.fromContentType("application/json-patch+json")).contains(JSON_PATCH);
    assertThat(PatchType.fromContentType("application/strategic-merge-patch+json"))
        .contains(STRATEGIC_MERGE_PATCH);
    assertThat(PatchType.fromContentType("application/apply-patch+yaml"))
        .contains(PatchType.APPLY_PATCH);
    assertThat(PatchType.fromContentType("application/json")).isEmpty();
    assertThat(PatchType.fromContentType(null)).isEmpty();
  }

  @Test
  void applyPatchIsAnsweredUnsupportedMediaType() {
    assertFails(
            PatchType.APPLY_PATCH,
            POD,
            POD_JSON,
            "{}",
            PatchException.Category.UNSUPPORTED_MEDIA_TYPE)
        .hasMessage(
            "the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, "
                + "application/strategic-merge-patch+json");
  }

  // --- JSON merge patch ------------------------------------------------------------------------

  @Test
  void kubectlLabelSetsAndRemovesLabelsWithAMergePatch() throws PatchException {
    ObjectNode result =
        apply(
            MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"metadata\":{\"labels\":{\"tier\":null,\"env\":\"prod\"}}}");
    assertThat(result.at("/metadata/labels")).isEqualTo(json("{\"app\":\"web\",\"env\":\"prod\"}"));
    assertThat(result.at("/spec")).isEqualTo(json(POD_JSON).at("/spec"));
  }

  @Test
  void aMergePatchReplacesListsWhole() throws PatchException {
    ObjectNode result =
        apply(
            MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"x\"}]}}");
    assertThat(result.at("/spec/containers"))
        .isEqualTo(array("[{\"name\":\"app\",\"image\":\"x\"}]"));
  }

  @Test
  void aMergePatchFollowsRfc7386OnNonObjectsAndNulls() throws PatchException {
    ObjectNode result =
        apply(
            MERGE_PATCH,
            CONFIG_MAP,
            "{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"},\"s\":\"text\"}",
            "{\"a\":\"z\",\"c\":{\"f\":null},\"s\":{\"x\":{\"y\":null,\"w\":1}},\"n\":[1,null]}");
    assertThat(result)
        .isEqualTo(
            json("{\"a\":\"z\",\"c\":{\"d\":\"e\"},\"s\":{\"x\":{\"w\":1}},\"n\":[1,null]}"));
  }

  @Test
  void aMergePatchThatIsNotAnObjectIsABadRequest() {
    for (String body : new String[] {"[1,2]", "\"text\"", "42", "null"}) {
      assertFails(MERGE_PATCH, POD, POD_JSON, body, PatchException.Category.BAD_REQUEST)
          .hasMessage("Invalid JSON Patch");
    }
  }

  @Test
  void aMalformedMergePatchIsABadRequest() {
    assertFails(MERGE_PATCH, POD, POD_JSON, "{\"metadata\":", PatchException.Category.BAD_REQUEST)
        .hasMessage("Invalid JSON Patch");
    assertFails(MERGE_PATCH, POD, POD_JSON, "", PatchException.Category.BAD_REQUEST)
        .hasMessage("Invalid JSON Patch");
  }

  // --- JSON patch ------------------------------------------------------------------------------

  @Test
  void aJsonPatchAddsReplacesAndRemoves() throws PatchException {
    ObjectNode result =
        apply(
            JSON_PATCH,
            POD,
            POD_JSON,
            """
            [{"op":"add","path":"/metadata/labels/env","value":"prod"},
             {"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.27"},
             {"op":"remove","path":"/spec/containers/1"},
             {"op":"add","path":"/metadata/finalizers/-","value":"d"},
             {"op":"test","path":"/metadata/name","value":"web"}]
            """);
    assertThat(result.at("/metadata/labels"))
        .isEqualTo(json("{\"app\":\"web\",\"tier\":\"front\",\"env\":\"prod\"}"));
    assertThat(result.at("/spec/containers").size()).isEqualTo(1);
    assertThat(result.at("/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
    assertThat(result.at("/metadata/finalizers").toString()).isEqualTo("[\"a\",\"b\",\"c\",\"d\"]");
  }

  @Test
  void aFailedJsonPatchTestIsUnprocessableWithUpstreamsWords() {
    assertFails(
            JSON_PATCH,
            POD,
            POD_JSON,
            "[{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"other\"},"
                + "{\"op\":\"remove\",\"path\":\"/metadata/labels\"}]",
            PatchException.Category.UNPROCESSABLE)
        .hasMessage("the server rejected our request due to an error in our request")
        .satisfies(
            e -> {
              PatchException p = (PatchException) e;
              assertThat(p.code()).isEqualTo(422);
              assertThat(p.reason()).isEqualTo("Invalid");
              assertThat(p.detail()).contains("Expected value \"other\" but found value \"web\"");
            });
  }

  @Test
  void aJsonPatchOnAPathThatDoesNotExistIsUnprocessable() {
    for (String op :
        new String[] {
          "{\"op\":\"remove\",\"path\":\"/metadata/labels/missing\"}",
          "{\"op\":\"replace\",\"path\":\"/metadata/annotations\",\"value\":{}}",
          "{\"op\":\"add\",\"path\":\"/spec/nothing/here\",\"value\":1}",
          "{\"op\":\"replace\",\"path\":\"/spec/containers/7/image\",\"value\":\"x\"}",
          "{\"op\":\"frobnicate\",\"path\":\"/metadata\"}",
          "{\"path\":\"/metadata\"}"
        }) {
      assertFails(JSON_PATCH, POD, POD_JSON, "[" + op + "]", PatchException.Category.UNPROCESSABLE)
          .hasMessage(PatchException.REJECTED);
    }
  }

  @Test
  void aJsonPatchReplacingTheRootWithAScalarIsUnprocessable() {
    assertFails(
        JSON_PATCH,
        POD,
        POD_JSON,
        "[{\"op\":\"replace\",\"path\":\"\",\"value\":5}]",
        PatchException.Category.UNPROCESSABLE);
  }

  @Test
  void aJsonPatchThatIsNotAListOfOperationsIsABadRequest() {
    assertFails(JSON_PATCH, POD, POD_JSON, "{\"op\":\"add\"}", PatchException.Category.BAD_REQUEST)
        .hasMessage("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    assertFails(JSON_PATCH, POD, POD_JSON, "[1]", PatchException.Category.BAD_REQUEST)
        .hasMessage("json: cannot unmarshal number into Go value of type jsonpatch.Operation");
    assertFails(JSON_PATCH, POD, POD_JSON, "[{\"op\":", PatchException.Category.BAD_REQUEST);
    assertFails(JSON_PATCH, POD, POD_JSON, "", PatchException.Category.BAD_REQUEST)
        .hasMessage("unexpected end of JSON input");
    assertFails(JSON_PATCH, POD, POD_JSON, "[] []", PatchException.Category.BAD_REQUEST);
  }

  @Test
  void aJsonPatchOfMoreThanTenThousandOperationsIsTooLarge() {
    StringBuilder ops = new StringBuilder("[");
    for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
      ops.append(i == 0 ? "" : ",")
          .append("{\"op\":\"test\",\"path\":\"/kind\",\"value\":\"Pod\"}");
    }
    assertFails(
            JSON_PATCH, POD, POD_JSON, ops + "]", PatchException.Category.REQUEST_ENTITY_TOO_LARGE)
        .hasMessage("The allowed maximum operations in a JSON patch is 10000, got 10001");
  }

  // --- strategic merge patch: kubectl's patches ------------------------------------------------

  @Test
  void kubectlSetImageChangesOneContainerAndKeepsTheRest() throws PatchException {
    // What kubectl set image sends: the changed container and the order of all of them.
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            """
            {"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
                     "containers":[{"image":"nginx:1.27","name":"app"}]}}
            """);
    ObjectNode expected = json(POD_JSON);
    ((ObjectNode) expected.at("/spec/containers/0")).put("image", "nginx:1.27");
    assertThat(result).isEqualTo(expected);
  }

  @Test
  void aContainerPatchedByNameKeepsItsOtherFieldsAndTheOtherContainers() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"alpine\"}]}}");
    assertThat(result.at("/spec/containers"))
        .isEqualTo(
            array(
                """
                [{"name":"app","image":"nginx:1.25","ports":[{"containerPort":80}],
                  "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
                 {"name":"sidecar","image":"alpine","args":["sleep","3600"]}]
                """));
  }

  @Test
  void kubectlSetEnvAddsAVariableAndKeepsTheExistingOnes() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            """
            {"spec":{"containers":[{"name":"app",
               "$setElementOrder/env":[{"name":"A"},{"name":"B"},{"name":"C"}],
               "env":[{"name":"C","value":"3"}]}]}}
            """);
    assertThat(result.at("/spec/containers/0/env"))
        .isEqualTo(
            array(
                "[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"},"
                    + "{\"name\":\"C\",\"value\":\"3\"}]"));
    assertThat(result.at("/spec/containers/0/ports")).isEqualTo(array("[{\"containerPort\":80}]"));
  }

  @Test
  void withoutSetElementOrderANewListItemGoesFirstAsUpstreamOrdersIt() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"spec\":{\"containers\":[{\"name\":\"app\",\"env\":[{\"name\":\"C\",\"value\":\"3\"},"
                + "{\"name\":\"A\",\"value\":\"one\"}]}]}}");
    assertThat(result.at("/spec/containers/0/env"))
        .isEqualTo(
            array(
                "[{\"name\":\"C\",\"value\":\"3\"},{\"name\":\"A\",\"value\":\"one\"},"
                    + "{\"name\":\"B\",\"value\":\"2\"}]"));
  }

  @Test
  void patchDeleteRemovesAContainerByName() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"$patch\":\"delete\"}]}}");
    assertThat(result.at("/spec/containers").size()).isEqualTo(1);
    assertThat(result.at("/spec/containers/0/name").asText()).isEqualTo("app");
    assertThat(result.toString()).doesNotContain("$patch");
  }

  @Test
  void setElementOrderReordersAListWithoutChangingItsItems() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"sidecar\"},{\"name\":\"app\"}]}}");
    ObjectNode expected = json(POD_JSON);
    var containers =
        (com.fasterxml.jackson.databind.node.ArrayNode) expected.at("/spec/containers");
    containers.insert(0, containers.remove(1));
    assertThat(result).isEqualTo(expected);
  }

  @Test
  void setElementOrderThatContradictsThePatchListIsABadRequest() {
    assertFails(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            """
            {"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
                     "containers":[{"name":"sidecar","image":"x"},{"name":"app","image":"y"}]}}
            """,
            PatchException.Category.BAD_REQUEST)
        .hasMessageContaining("doesn't match $setElementOrder list");
  }

  @Test
  void retainKeysClearsTheFieldsItDoesNotList() throws PatchException {
    // What kubectl apply sends when a Deployment's strategy changes to Recreate.
    String deployment =
        """
        {"metadata":{"name":"d"},
         "spec":{"replicas":2,
                 "strategy":{"type":"RollingUpdate",
                             "rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}}
        """;
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            DEPLOYMENT,
            deployment,
            "{\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\"}}}");
    assertThat(result)
        .isEqualTo(
            json(
                "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":2,\"strategy\":{\"type\":\"Recreate\"}}}"));
  }

  @Test
  void retainKeysInAListItemSwitchesAVolumeSource() throws PatchException {
    String pod =
        "{\"spec\":{\"volumes\":[{\"name\":\"cfg\",\"configMap\":{\"name\":\"c\"}},"
            + "{\"name\":\"tmp\",\"emptyDir\":{}}]}}";
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            pod,
            "{\"spec\":{\"volumes\":[{\"name\":\"cfg\",\"$retainKeys\":[\"name\",\"secret\"],"
                + "\"secret\":{\"secretName\":\"s\"}}]}}");
    assertThat(result.at("/spec/volumes"))
        .isEqualTo(
            array(
                "[{\"name\":\"cfg\",\"secret\":{\"secretName\":\"s\"}},"
                    + "{\"name\":\"tmp\",\"emptyDir\":{}}]"));
  }

  @Test
  void aPatchSettingAFieldItsRetainKeysDoNotListIsABadRequest() {
    assertFails(
            STRATEGIC_MERGE_PATCH,
            DEPLOYMENT,
            "{\"spec\":{\"strategy\":{\"type\":\"RollingUpdate\"}}}",
            "{\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"RollingUpdate\","
                + "\"rollingUpdate\":{\"maxSurge\":1}}}}",
            PatchException.Category.BAD_REQUEST)
        .hasMessage("invalid patch format of retainKeys");
    assertFails(
            STRATEGIC_MERGE_PATCH,
            DEPLOYMENT,
            "{\"spec\":{}}",
            "{\"spec\":{\"$retainKeys\":\"replicas\"}}",
            PatchException.Category.BAD_REQUEST)
        .hasMessage("invalid patch format of retainKeys");
  }

  @Test
  void deleteFromPrimitiveListRemovesFinalizers() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"b\",\"zzz\"]}}");
    assertThat(result.at("/metadata/finalizers")).isEqualTo(array("[\"a\",\"c\"]"));
  }

  @Test
  void deleteFromPrimitiveListOfAListTheObjectLacksChangesNothing() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            CONFIG_MAP,
            "{\"metadata\":{\"name\":\"c\"}}",
            "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"b\"]}}");
    assertThat(result).isEqualTo(json("{\"metadata\":{\"name\":\"c\"}}"));
  }

  @Test
  void aMalformedDeleteFromPrimitiveListKeyIsABadRequest() {
    assertFails(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"metadata\":{\"$deleteFromPrimitiveList\":[\"b\"]}}",
            PatchException.Category.BAD_REQUEST)
        .hasMessage("invalid patch format of primitive list");
  }

  @Test
  void kubectlStyleFinalizerRemovalWithItsElementOrder() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"metadata\":{\"$setElementOrder/finalizers\":[\"c\",\"a\"],"
                + "\"$deleteFromPrimitiveList/finalizers\":[\"b\"]}}");
    assertThat(result.at("/metadata/finalizers")).isEqualTo(array("[\"c\",\"a\"]"));
  }

  @Test
  void listElementsOfDifferentTypesAreABadRequest() {
    assertFails(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"metadata\":{\"finalizers\":[1]}}",
            PatchException.Category.BAD_REQUEST)
        .hasMessage("list element types are not identical: [[a b c] [1]]");
  }

  @Test
  void finalizersAreUnitedAndANewOneGoesFirst() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            CONFIG_MAP,
            "{\"metadata\":{\"finalizers\":[\"a\",\"b\"]}}",
            "{\"metadata\":{\"finalizers\":[\"c\",\"a\"]}}");
    assertThat(result.at("/metadata/finalizers")).isEqualTo(array("[\"c\",\"a\",\"b\"]"));
  }

  @Test
  void servicePortsMergeByPort() throws PatchException {
    String service =
        """
        {"spec":{"selector":{"app":"web"},
                 "ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"},
                          {"name":"https","port":443,"targetPort":8443,"protocol":"TCP"}]}}
        """;
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            SERVICE,
            service,
            "{\"spec\":{\"$setElementOrder/ports\":[{\"port\":80},{\"port\":443}],"
                + "\"ports\":[{\"port\":80,\"targetPort\":9090}]}}");
    assertThat(result.at("/spec/ports"))
        .isEqualTo(
            array(
                "[{\"name\":\"http\",\"port\":80,\"targetPort\":9090,\"protocol\":\"TCP\"},"
                    + "{\"name\":\"https\",\"port\":443,\"targetPort\":8443,\"protocol\":\"TCP\"}]"));
    assertThat(result.at("/spec/selector")).isEqualTo(json("{\"app\":\"web\"}"));
  }

  @Test
  void listsWithoutAStrategyAreReplaced() throws PatchException {
    ObjectNode pod =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"spec\":{\"tolerations\":[{\"key\":\"k2\",\"operator\":\"Exists\"}],"
                + "\"containers\":[{\"name\":\"sidecar\",\"args\":[\"sleep\",\"1\"]}]}}");
    assertThat(pod.at("/spec/tolerations"))
        .isEqualTo(array("[{\"key\":\"k2\",\"operator\":\"Exists\"}]"));
    assertThat(pod.at("/spec/containers/1/args")).isEqualTo(array("[\"sleep\",\"1\"]"));
    ObjectNode node =
        apply(
            STRATEGIC_MERGE_PATCH,
            NODE,
            "{\"spec\":{\"taints\":[{\"key\":\"a\",\"effect\":\"NoSchedule\"}]}}",
            "{\"spec\":{\"taints\":[{\"key\":\"b\",\"effect\":\"NoExecute\"}]}}");
    assertThat(node.at("/spec/taints"))
        .isEqualTo(array("[{\"key\":\"b\",\"effect\":\"NoExecute\"}]"));
  }

  @Test
  void nodeStatusConditionsAndAddressesMergeByType() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            NODE,
            """
            {"status":{"conditions":[{"type":"Ready","status":"False","reason":"Starting"},
                                     {"type":"MemoryPressure","status":"False"}],
                       "addresses":[{"type":"InternalIP","address":"10.0.0.1"}]}}
            """,
            """
            {"status":{"$setElementOrder/conditions":[{"type":"Ready"},{"type":"MemoryPressure"}],
                       "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}],
                       "addresses":[{"type":"Hostname","address":"n1"}]}}
            """);
    assertThat(result.at("/status/conditions"))
        .isEqualTo(
            array(
                "[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"},"
                    + "{\"type\":\"MemoryPressure\",\"status\":\"False\"}]"));
    assertThat(result.at("/status/addresses"))
        .isEqualTo(
            array(
                "[{\"type\":\"Hostname\",\"address\":\"n1\"},"
                    + "{\"type\":\"InternalIP\",\"address\":\"10.0.0.1\"}]"));
  }

  @Test
  void theSamePodSpecTableServesDeploymentAndJobTemplates() throws PatchException {
    String templated =
        """
        {"spec":{"template":{"metadata":{"labels":{"app":"w"}},
          "spec":{"containers":[{"name":"a","image":"one"},{"name":"b","image":"two"}]}}}}
        """;
    String patch =
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"three\"}]}}}}";
    String expected = "[{\"name\":\"a\",\"image\":\"one\"},{\"name\":\"b\",\"image\":\"three\"}]";
    assertThat(
            apply(STRATEGIC_MERGE_PATCH, DEPLOYMENT, templated, patch)
                .at("/spec/template/spec/containers"))
        .isEqualTo(array(expected));
    assertThat(
            apply(STRATEGIC_MERGE_PATCH, JOB, templated, patch)
                .at("/spec/template/spec/containers"))
        .isEqualTo(array(expected));
    // A kind without that table replaces the same list.
    assertThat(
            apply(STRATEGIC_MERGE_PATCH, CONFIG_MAP, templated, patch)
                .at("/spec/template/spec/containers"))
        .isEqualTo(array("[{\"name\":\"b\",\"image\":\"three\"}]"));
  }

  @Test
  void ownerReferencesMergeByUid() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            CONFIG_MAP,
            "{\"metadata\":{\"ownerReferences\":[{\"uid\":\"1\",\"kind\":\"A\",\"name\":\"a\"}]}}",
            "{\"metadata\":{\"ownerReferences\":[{\"uid\":\"1\",\"controller\":true},"
                + "{\"uid\":\"2\",\"kind\":\"B\",\"name\":\"b\"}]}}");
    assertThat(result.at("/metadata/ownerReferences"))
        .isEqualTo(
            array(
                "[{\"uid\":\"1\",\"kind\":\"A\",\"name\":\"a\",\"controller\":true},"
                    + "{\"uid\":\"2\",\"kind\":\"B\",\"name\":\"b\"}]"));
  }

  @Test
  void nullDeletesAKeyAndMapsMergeRecursively() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"metadata\":{\"labels\":{\"tier\":null,\"env\":\"prod\"}},\"spec\":{\"nodeSelector\":null}}");
    assertThat(result.at("/metadata/labels")).isEqualTo(json("{\"app\":\"web\",\"env\":\"prod\"}"));
    assertThat(result.at("/spec").has("nodeSelector")).isFalse();
    assertThat(result.at("/spec/containers")).isEqualTo(json(POD_JSON).at("/spec/containers"));
  }

  @Test
  void patchReplaceAndDeleteOnMaps() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"metadata\":{\"labels\":{\"$patch\":\"replace\",\"only\":\"this\"}},"
                + "\"spec\":{\"nodeSelector\":{\"$patch\":\"delete\"}}}");
    assertThat(result.at("/metadata/labels")).isEqualTo(json("{\"only\":\"this\"}"));
    assertThat(result.at("/spec/nodeSelector")).isEqualTo(json("{}"));
  }

  @Test
  void patchReplaceInAListReplacesTheList() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"spec\":{\"containers\":[{\"$patch\":\"replace\"},{\"name\":\"only\",\"image\":\"x\"}]}}");
    assertThat(result.at("/spec/containers"))
        .isEqualTo(array("[{\"name\":\"only\",\"image\":\"x\"}]"));
  }

  @Test
  void directivesOfANewSubtreeAreAppliedNotStored() throws PatchException {
    ObjectNode result =
        apply(
            STRATEGIC_MERGE_PATCH,
            DEPLOYMENT,
            "{\"metadata\":{\"name\":\"d\"}}",
            """
            {"spec":{"template":{"spec":{
               "$setElementOrder/containers":[{"name":"a"}],
               "containers":[{"name":"a","image":"i","env":[{"name":"X","$patch":"delete"}],
                              "args":null}]}}}}
            """);
    assertThat(result)
        .isEqualTo(
            json(
                "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"template\":{\"spec\":"
                    + "{\"containers\":[{\"name\":\"a\",\"image\":\"i\",\"env\":[]}]}}}}"));
  }

  @Test
  void unknownOrUnsupportedDirectivesAreBadRequests() {
    assertFails(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"spec\":{\"containers\":[{\"name\":\"app\",\"$patch\":\"merge\"}]}}",
            PatchException.Category.BAD_REQUEST)
        .hasMessage("merging lists cannot yet be specified in the patch");
    assertFails(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"metadata\":{\"labels\":{\"$patch\":\"bogus\",\"a\":\"b\"}}}",
            PatchException.Category.BAD_REQUEST)
        .hasMessage("unknown patch type: bogus in map: map[$patch:bogus a:b]");
  }

  @Test
  void aListItemWithoutItsMergeKeyIsABadRequest() {
    assertFails(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"spec\":{\"containers\":[{\"image\":\"nginx\",\"ports\":[{\"containerPort\":8080.5}]}]}}",
            PatchException.Category.BAD_REQUEST)
        .hasMessage(
            "map: map[image:nginx ports:[map[containerPort:8080.5]]] does not contain declared merge"
                + " key: name");
  }

  @Test
  void aListOfListsIsUnprocessable() {
    assertFails(
            STRATEGIC_MERGE_PATCH,
            CONFIG_MAP,
            "{\"metadata\":{\"finalizers\":[]}}",
            "{\"metadata\":{\"finalizers\":[[\"b\"]]}}",
            PatchException.Category.UNPROCESSABLE)
        .hasMessage(PatchException.REJECTED)
        .satisfies(
            e ->
                assertThat(((PatchException) e).detail())
                    .isEqualTo("lists of lists are not supported"));
  }

  @Test
  void aStrategicMergePatchThatIsNotAnObjectIsABadRequest() {
    assertFails(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "[{\"a\":1}]",
            PatchException.Category.BAD_REQUEST)
        .hasMessage("json: cannot unmarshal array into Go value of type map[string]interface {}");
    assertFails(STRATEGIC_MERGE_PATCH, POD, POD_JSON, "\"x\"", PatchException.Category.BAD_REQUEST)
        .hasMessage("json: cannot unmarshal string into Go value of type map[string]interface {}");
  }

  @Test
  void aMalformedStrategicMergePatchIsABadRequest() {
    assertFails(
            STRATEGIC_MERGE_PATCH,
            POD,
            POD_JSON,
            "{\"spec\":{",
            PatchException.Category.BAD_REQUEST)
        .hasMessage("unexpected end of JSON input");
    assertFails(
        STRATEGIC_MERGE_PATCH, POD, POD_JSON, "{spec}", PatchException.Category.BAD_REQUEST);
  }

  @Test
  void aNullStrategicMergePatchChangesNothingAsUpstream() throws PatchException {
    assertThat(apply(STRATEGIC_MERGE_PATCH, POD, POD_JSON, "null")).isEqualTo(json(POD_JSON));
  }

  @Test
  void noPatchTypeChangesTheOriginal() throws PatchException {
    ObjectNode original = json(POD_JSON);
    Patches.apply(
        STRATEGIC_MERGE_PATCH,
        POD,
        original,
        bytes(
            "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"a\"],\"labels\":{\"app\":null}},"
                + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"changed\","
                + "\"env\":[{\"name\":\"A\",\"value\":\"x\"}]},{\"name\":\"sidecar\",\"$patch\":\"delete\"}]}}"));
    Patches.apply(
        MERGE_PATCH,
        POD,
        original,
        bytes("{\"metadata\":{\"labels\":{\"tier\":\"x\"}},\"spec\":null}"));
    Patches.apply(
        JSON_PATCH,
        POD,
        original,
        bytes(
            "[{\"op\":\"remove\",\"path\":\"/spec/containers/0/env/0\"},{\"op\":\"add\",\"path\":\"/x\",\"value\":1}]"));
    assertThat(original).isEqualTo(json(POD_JSON));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static ObjectNode apply(PatchType type, GroupKind kind, String original, String patch)
      throws PatchException {
    return Patches.apply(type, kind, json(original), bytes(patch));
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertFails(
      PatchType type,
      GroupKind kind,
      String original,
      String patch,
      PatchException.Category category) {
    return assertThatThrownBy(() -> apply(type, kind, original, patch))
        .isInstanceOf(PatchException.class)
        .satisfies(e -> assertThat(((PatchException) e).category()).isEqualTo(category));
  }

  private static ObjectNode json(String text) {
    return Json.parseObject(text);
  }

  private static com.fasterxml.jackson.databind.JsonNode array(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
