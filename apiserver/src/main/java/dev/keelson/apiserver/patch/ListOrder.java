package dev.keelson.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order of a merged list, as upstream's strategic merge patch decides it: items named by the
 * patch (or by its {@code $setElementOrder} list) keep the patch's order, the server's other items
 * keep theirs, and the two are interleaved by the server's order. An item new to the server goes
 * before the server's items it is compared with, which is why a new container or env var of a patch
 * without {@code $setElementOrder} lands first, as on upstream.
 */
final class ListOrder {

  /** The items of a merged list the patch names, and the server's other items. */
  record Partition(List<JsonNode> named, List<JsonNode> serverOnly) {}

  private ListOrder() {}

  /** Splits {@code merged} by whether {@code by} names each item (by merge key, or equality). */
  static Partition partition(List<JsonNode> merged, List<JsonNode> by, String mergeKey)
      throws PatchException {
    List<JsonNode> named = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode item : merged) {
      boolean found;
      if (mergeKey.isEmpty()) {
        found = by.stream().anyMatch(b -> same(b, item));
      } else {
        JsonNode key = mergeKeyOf(item, mergeKey);
        found = false;
        for (JsonNode b : by) {
          if (!b.isObject()) {
            throw PatchException.badRequest("value for key " + by.indexOf(b) + " is not a map");
          }
          found |= same(b.get(mergeKey), key);
        }
      }
      (found ? named : serverOnly).add(item);
    }
    return new Partition(named, serverOnly);
  }

  /** Upstream's normalizeElementOrder: sort both parts, then interleave by the server's order. */
  static List<JsonNode> normalize(
      Partition parts,
      List<JsonNode> patchOrder,
      List<JsonNode> serverOrder,
      String mergeKey,
      boolean objects)
      throws PatchException {
    List<JsonNode> patch = sort(parts.named(), patchOrder, mergeKey, objects);
    List<JsonNode> server = sort(parts.serverOnly(), serverOrder, mergeKey, objects);
    return interleave(server, patch, serverOrder, mergeKey, objects);
  }

  /** Sorts by position in {@code order}; items to delete go last, as upstream puts them. */
  private static List<JsonNode> sort(
      List<JsonNode> items, List<JsonNode> order, String mergeKey, boolean objects)
      throws PatchException {
    List<JsonNode> kept = new ArrayList<>();
    List<JsonNode> deleted = new ArrayList<>();
    for (JsonNode item : items) {
      if (objects) {
        mergeKeyOf(item, mergeKey);
      }
      boolean delete = objects && "delete".equals(item.path("$patch").asText(null));
      (delete ? deleted : kept).add(item);
    }
    if (objects) {
      for (JsonNode item : order) {
        mergeKeyOf(item, mergeKey);
      }
    }
    // Stable; an item the order does not know keeps its place after those it knows.
    kept.sort(
        Comparator.comparingInt(
            item -> {
              int at = index(order, item, mergeKey, objects);
              return at < 0 ? Integer.MAX_VALUE : at;
            }));
    kept.addAll(deleted);
    return kept;
  }

  /** Upstream's mergeSortedSlice: a server item goes first only if the server orders it first. */
  private static List<JsonNode> interleave(
      List<JsonNode> left,
      List<JsonNode> right,
      List<JsonNode> serverOrder,
      String mergeKey,
      boolean objects) {
    List<JsonNode> out = new ArrayList<>(left.size() + right.size());
    int i = 0;
    int j = 0;
    while (i < left.size() || j < right.size()) {
      if (i >= left.size()) {
        out.add(right.get(j++));
      } else if (j >= right.size()) {
        out.add(left.get(i++));
      } else {
        int li = index(serverOrder, left.get(i), mergeKey, objects);
        int ri = index(serverOrder, right.get(j), mergeKey, objects);
        out.add(li >= 0 && ri >= 0 && li < ri ? left.get(i++) : right.get(j++));
      }
    }
    return out;
  }

  private static int index(List<JsonNode> list, JsonNode item, String mergeKey, boolean objects) {
    JsonNode wanted = objects ? item.get(mergeKey) : item;
    for (int at = 0; at < list.size(); at++) {
      JsonNode candidate = objects ? list.get(at).get(mergeKey) : list.get(at);
      if (same(candidate, wanted)) {
        return at;
      }
    }
    return -1;
  }

  /** The item's merge key value; a 400 worded as upstream's when the item has none. */
  static JsonNode mergeKeyOf(JsonNode item, String mergeKey) throws PatchException {
    if (!item.isObject()) {
      throw PatchException.badRequest(
          "expected a map[string]interface {}, but received a " + GoText.type(item));
    }
    JsonNode key = item.get(mergeKey);
    if (key == null) {
      throw PatchException.badRequest(
          "map: " + GoText.format(item) + " does not contain declared merge key: " + mergeKey);
    }
    return key;
  }

  /** Go's {@code ==} on decoded JSON values: numbers compare by value within ints or floats. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.isIntegralNumber() == b.isIntegralNumber()
          && a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }
}
