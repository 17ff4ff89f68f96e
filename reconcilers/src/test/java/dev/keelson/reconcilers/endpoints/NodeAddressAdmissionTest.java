package dev.keelson.reconcilers.endpoints;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import dev.keelson.apiserver.http.BuiltInAdmission;
import dev.keelson.write.WriteRefusedException;
import org.junit.jupiter.api.Test;

class NodeAddressAdmissionTest {

  static final GroupKind ENDPOINTS = GroupKind.core("Endpoints");

  static ObjectNode endpoints(String ip, int port) {
    return Json.parseObject(
        "{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},"
            + "\"subsets\":[{\"addresses\":[{\"ip\":\""
            + ip
            + "\"}],\"ports\":[{\"port\":"
            + port
            + ",\"protocol\":\"TCP\"}]}]}");
  }

  @Test
  void theControllersEndpointsMayListALoopbackNodeAddress() {
    BuiltInAdmission api = BuiltInAdmission.builtIn();
    NodeAddressAdmission admission = new NodeAddressAdmission(api);
    ObjectNode local = endpoints("127.0.0.1", 32768);

    assertThatCode(() -> admission.create(ENDPOINTS).admit(local.deepCopy(), null))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> api.create(ENDPOINTS).admit(local.deepCopy(), null))
        .as("a user's Endpoints still meet upstream's rule")
        .isInstanceOf(WriteRefusedException.class)
        .hasMessageContaining("loopback");
  }

  @Test
  void everyOtherRuleStillHolds() {
    NodeAddressAdmission admission = new NodeAddressAdmission(BuiltInAdmission.builtIn());

    assertThatThrownBy(() -> admission.create(ENDPOINTS).admit(endpoints("127.0.0.1", 0), null))
        .isInstanceOf(WriteRefusedException.class)
        .hasMessageContaining("ports[0].port");
    assertThatThrownBy(
            () ->
                admission
                    .update(ENDPOINTS)
                    .admit(endpoints("0.0.0.0", 80), endpoints("10.0.0.1", 80)))
        .isInstanceOf(WriteRefusedException.class)
        .hasMessageContaining("unspecified");
  }
}
