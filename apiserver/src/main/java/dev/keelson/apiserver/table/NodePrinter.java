package dev.keelson.apiserver.table;

import static dev.keelson.apiserver.table.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Nodes, as upstream's printNode: STATUS from the Ready condition and cordoning, ROLES from labels.
 */
final class NodePrinter {

  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";
  private static final String ROLE_LABEL = "kubernetes.io/role";

  private NodePrinter() {}

  static Printer printer() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.string("Status", "The status of the node"),
            Column.string("Roles", "The roles of the node"),
            Column.objectAge(),
            Column.string("Version", Docs.NODE_KUBELET_VERSION),
            Column.wide("Internal-IP", Docs.NODE_ADDRESSES),
            Column.wide("External-IP", Docs.NODE_ADDRESSES),
            Column.wide("OS-Image", Docs.NODE_OS_IMAGE),
            Column.wide("Kernel-Version", Docs.NODE_KERNEL_VERSION),
            Column.wide("Container-Runtime", Docs.NODE_CONTAINER_RUNTIME)),
        NodePrinter::cells);
  }

  private static List<Object> cells(JsonNode node, Instant now) {
    JsonNode info = node.path("status").path("nodeInfo");
    return List.of(
        text(node.path("metadata").path("name")),
        status(node),
        roles(node),
        Fields.age(node, now),
        text(info.path("kubeletVersion")),
        address(node, "InternalIP"),
        address(node, "ExternalIP"),
        orUnknown(text(info.path("osImage"))),
        orUnknown(text(info.path("kernelVersion"))),
        orUnknown(text(info.path("containerRuntimeVersion"))));
  }

  private static String status(JsonNode node) {
    // Only the Ready condition counts; the last one of that type wins, as in upstream's map.
    JsonNode readyCondition = null;
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(text(c.path("type")))) {
        readyCondition = c;
      }
    }
    List<String> status = new ArrayList<>();
    if (readyCondition == null) {
      status.add("Unknown");
    } else {
      status.add("True".equals(text(readyCondition.path("status"))) ? "Ready" : "NotReady");
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      status.add("SchedulingDisabled");
    }
    return String.join(",", status);
  }

  private static String roles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    node.path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(
            e -> {
              String key = e.getKey();
              if (key.startsWith(ROLE_PREFIX) && key.length() > ROLE_PREFIX.length()) {
                roles.add(key.substring(ROLE_PREFIX.length()));
              } else if (key.equals(ROLE_LABEL) && !e.getValue().asText().isEmpty()) {
                roles.add(e.getValue().asText());
              }
            });
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (type.equals(text(a.path("type")))) {
        return text(a.path("address"));
      }
    }
    return "<none>";
  }

  private static String orUnknown(String value) {
    return value.isEmpty() ? "<unknown>" : value;
  }
}
