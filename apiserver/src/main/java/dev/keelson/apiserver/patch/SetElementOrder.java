package dev.keelson.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code $setElementOrder/<list>} directive: merges the list it names with the patch's list for
 * it, then orders the items the directive names as it names them, keeping the server's other items
 * where the server's order puts them (upstream's mergePatchIntoOriginal).
 */
final class SetElementOrder {

  private static final String PREFIX = StrategicMergePatch.SET_ELEMENT_ORDER;
  private static final String MALFORMED = "invalid patch format of setElementOrder list";

  private SetElementOrder() {}

  /** Applies every {@code $setElementOrder} of {@code patch}, removing it and its list. */
  static void apply(ObjectNode original, ObjectNode patch, PatchSchema schema)
      throws PatchException {
    for (String name : StrategicMergePatch.names(patch)) {
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      JsonNode order = patch.remove(name);
      if (!(order instanceof ArrayNode orderList)) {
        throw argType(order);
      }
      String key = StrategicMergePatch.listKey(name, PREFIX, MALFORMED);
      JsonNode current = original.get(key);
      JsonNode patchValue = patch.get(key);
      if (current != null && !current.isArray()) {
        throw argType(current);
      }
      if (patchValue != null && !patchValue.isArray()) {
        throw argType(patchValue);
      }
      ArrayNode server = (ArrayNode) current;
      ArrayNode patchList = (ArrayNode) patchValue;
      PatchSchema.Field field = schema.field(key);
      if (patchList != null) {
        validate(patchList, orderList, field.mergeKey());
      }
      if (server == null && patchList == null) {
        continue;
      }
      patch.remove(key);
      ArrayNode merged;
      if (patchList == null) {
        merged = server;
      } else if (server == null || !field.mergesList()) {
        merged = (ArrayNode) StrategicMergePatch.fresh(patchList, field);
      } else {
        merged = StrategicMergePatch.mergeList(server, patchList, field, false);
      }
      if (merged.isEmpty()) {
        original.set(key, merged);
        continue;
      }
      ArrayNode serverList = server == null ? ListElements.array(List.of()) : server;
      ArrayNode patchOrList = patchList == null ? ListElements.array(List.of()) : patchList;
      boolean objects = ListElements.objects(serverList, patchOrList);
      List<JsonNode> orderItems = ListElements.of(orderList);
      ListOrder.Partition parts =
          ListOrder.partition(ListElements.of(merged), orderItems, field.mergeKey());
      original.set(
          key,
          ListElements.array(
              ListOrder.normalize(
                  parts, orderItems, ListElements.of(serverList), field.mergeKey(), objects)));
    }
  }

  /** The patch's items must appear in the directive's list, in its relative order. */
  private static void validate(ArrayNode patchList, ArrayNode order, String mergeKey)
      throws PatchException {
    if (order.isEmpty() || patchList.isEmpty()) {
      return;
    }
    List<JsonNode> items = ListElements.of(patchList);
    if (!mergeKey.isEmpty()) {
      for (JsonNode item : items) {
        if (!item.isObject()) {
          throw PatchException.badRequest(
              "expected a map[string]interface {}, but received a " + GoText.type(item));
        }
      }
      items.removeIf(
          item -> "delete".equals(item.path(StrategicMergePatch.DIRECTIVE).asText(null)));
    }
    int p = 0;
    int s = 0;
    while (p < items.size() && s < order.size()) {
      JsonNode item = items.get(p);
      if (item.isObject() && item.has(StrategicMergePatch.DIRECTIVE)) {
        p++;
        continue;
      }
      if (sameKey(item, order.get(s), mergeKey)) {
        p++;
      }
      s++;
    }
    if (p < items.size() && s >= order.size()) {
      throw PatchException.badRequest(
          "The order in patch list:\n"
              + GoText.format(patchList)
              + "\n doesn't match "
              + PREFIX
              + " list:\n"
              + GoText.format(order)
              + "\n");
    }
  }

  private static boolean sameKey(JsonNode left, JsonNode right, String mergeKey)
      throws PatchException {
    if (mergeKey.isEmpty()) {
      return ListOrder.same(left, right);
    }
    return ListOrder.same(
        ListOrder.mergeKeyOf(left, mergeKey), ListOrder.mergeKeyOf(right, mergeKey));
  }

  private static PatchException argType(JsonNode actual) {
    return PatchException.badRequest(
        "expected a []interface {}, but received a " + GoText.type(actual));
  }
}
