package dev.keelson.reconcilers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.write.Admission;
import dev.keelson.write.AdmissionPolicy;

/**
 * The API's admission for the Endpoints this controller writes, but for one rule. Upstream refuses
 * loopback addresses in Endpoints, which there are pod IPs; here they are node addresses, and the
 * node of a one-machine cluster publishes its pods' ports on 127.0.0.1 (keelson up's default). So
 * an Endpoints object is checked as upstream checks it with its loopback addresses counted as any
 * other address; a user's Endpoints still meet the rule in full.
 */
final class NodeAddressAdmission implements AdmissionPolicy {

  /** An address of TEST-NET-1 (RFC 5737), standing in for a loopback one while checking. */
  static final String STAND_IN = "192.0.2.1";

  private final AdmissionPolicy api;

  NodeAddressAdmission(AdmissionPolicy api) {
    this.api = api;
  }

  @Override
  public Admission create(GroupKind kind) {
    return kind.equals(EndpointsReconciler.ENDPOINTS)
        ? loopbackAllowed(api.create(kind))
        : api.create(kind);
  }

  @Override
  public Admission update(GroupKind kind) {
    return kind.equals(EndpointsReconciler.ENDPOINTS)
        ? loopbackAllowed(api.update(kind))
        : api.update(kind);
  }

  @Override
  public Admission status(GroupKind kind) {
    return api.status(kind);
  }

  private static Admission loopbackAllowed(Admission admission) {
    return (after, before) ->
        admission.admit(standIn(after), before == null ? null : standIn(before));
  }

  /** A copy of the Endpoints with every loopback address replaced by {@link #STAND_IN}. */
  static ObjectNode standIn(ObjectNode endpoints) {
    ObjectNode copy = endpoints.deepCopy();
    for (JsonNode subset : copy.path("subsets")) {
      for (String list : new String[] {"addresses", "notReadyAddresses"}) {
        for (JsonNode address : subset.path(list)) {
          String ip = address.path("ip").asText("");
          if (address instanceof ObjectNode a && (ip.startsWith("127.") || ip.equals("::1"))) {
            a.put("ip", STAND_IN);
          }
        }
      }
    }
    return copy;
  }
}
