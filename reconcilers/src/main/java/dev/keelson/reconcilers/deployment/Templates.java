package dev.keelson.reconcilers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.util.ArrayList;
import java.util.List;

/** Comparing pod templates as upstream's EqualIgnoreHash does, over JSON. */
public final class Templates {

  private Templates() {}

  /**
   * Whether two pod templates are the same but for their pod-template-hash label. As upstream's
   * semantic equality, a missing field, a null and an empty list or map are the same; numbers are
   * compared by value.
   */
  public static boolean equalIgnoreHash(JsonNode a, JsonNode b) {
    return normalized(withoutHash(a)).equals(normalized(withoutHash(b)));
  }

  /** A copy of the template without the pod-template-hash label. */
  public static ObjectNode withoutHash(JsonNode template) {
    ObjectNode copy =
        template != null && template.isObject()
            ? ((ObjectNode) template).deepCopy()
            : Json.object();
    if (copy.path("metadata").path("labels") instanceof ObjectNode labels) {
      labels.remove(TemplateHash.LABEL);
    }
    return copy;
  }

  /** A copy without nulls and empty lists or objects, numbers as the narrowest exact node. */
  static JsonNode normalized(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = Json.object();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = normalized(node.get(name));
        if (!absent(value)) {
          out.set(name, value);
        }
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.mapper().createArrayNode();
      for (JsonNode element : node) {
        out.add(normalized(element));
      }
      return out;
    }
    if (node.isNumber()) {
      return Json.mapper().getNodeFactory().numberNode(node.decimalValue().stripTrailingZeros());
    }
    return node;
  }

  private static boolean absent(JsonNode value) {
    return value == null
        || value.isNull()
        || value.isMissingNode()
        || (value.isContainerNode() && value.isEmpty());
  }
}
