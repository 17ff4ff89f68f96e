package dev.keelson.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Strategic merge patch as upstream's apimachinery strategicpatch applies it on the server: maps
 * merge key by key and null deletes; lists the schema marks merge element-wise by their merge key
 * (or, for primitives, are united); other lists are replaced. The directives {@code $patch}, {@code
 * $retainKeys}, {@code $setElementOrder/<list>} and {@code $deleteFromPrimitiveList/<list>} are
 * honoured and never left in the result. Upstream answers some malformed patches with a 500;
 * Keelson answers them 400 with upstream's wording.
 */
final class StrategicMergePatch {

  static final String DIRECTIVE = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
  static final String SET_ELEMENT_ORDER = "$setElementOrder";

  private static final String BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";
  private static final String BAD_RETAIN_KEYS = "invalid patch format of retainKeys";

  private StrategicMergePatch() {}

  static ObjectNode apply(ObjectNode original, byte[] body, PatchSchema schema)
      throws PatchException {
    JsonNode patch = PatchBody.read(body);
    if (patch.isNull()) {
      return original.deepCopy(); // Go decodes null into an empty patch map
    }
    if (!(patch instanceof ObjectNode patchMap)) {
      throw PatchException.badRequest(
          "json: cannot unmarshal "
              + GoText.kind(patch)
              + " into Go value of type map[string]interface {}");
    }
    return mergeMap(original.deepCopy(), patchMap, schema);
  }

  /** Merges {@code patch} into {@code original}; both are owned here and may be changed. */
  static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchSchema schema)
      throws PatchException {
    if (patch.has(DIRECTIVE)) {
      return mapDirective(patch);
    }
    retainKeys(original, patch);
    SetElementOrder.apply(original, patch, schema);
    for (String name : names(patch)) {
      JsonNode value = patch.get(name);
      String key = name;
      boolean deletion = name.startsWith(DELETE_FROM_PRIMITIVE_LIST);
      if (deletion) {
        key = listKey(name, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST);
      }
      if (value.isNull()) {
        original.remove(key);
        continue;
      }
      JsonNode current = original.get(key);
      PatchSchema.Field field = schema.field(key);
      if (deletion) {
        // A deletion list for a list the object lacks deletes nothing.
        if (current instanceof ArrayNode list && value instanceof ArrayNode toDelete) {
          original.set(key, mergeList(list, toDelete, field, true));
        }
      } else if (current instanceof ObjectNode map && value instanceof ObjectNode patchMap) {
        original.set(key, mergeMap(map, patchMap, field.schema()));
      } else if (current instanceof ArrayNode list
          && value instanceof ArrayNode patchList
          && field.mergesList()) {
        original.set(key, mergeList(list, patchList, field, false));
      } else {
        original.set(key, fresh(value, field));
      }
    }
    return original;
  }

  /** {@code $patch} on a map: replace it by the patch, or delete its contents. */
  private static ObjectNode mapDirective(ObjectNode patch) throws PatchException {
    JsonNode directive = patch.get(DIRECTIVE);
    if ("replace".equals(directive.textValue())) {
      patch.remove(DIRECTIVE);
      return (ObjectNode) clean(patch);
    }
    if ("delete".equals(directive.textValue())) {
      return Json.object();
    }
    throw unknownPatchType(directive, patch);
  }

  /** {@code $retainKeys}: the original keeps only the listed keys, and the patch sets no other. */
  private static void retainKeys(ObjectNode original, ObjectNode patch) throws PatchException {
    if (!patch.has(RETAIN_KEYS)) {
      return;
    }
    JsonNode listed = patch.remove(RETAIN_KEYS);
    if (!listed.isArray()) {
      throw PatchException.badRequest(BAD_RETAIN_KEYS);
    }
    Set<String> retained = new HashSet<>();
    listed.forEach(key -> retained.add(key.isTextual() ? key.textValue() : null));
    for (String name : names(patch)) {
      boolean parallelList =
          name.startsWith(DELETE_FROM_PRIMITIVE_LIST) || name.startsWith(SET_ELEMENT_ORDER);
      if (!patch.get(name).isNull() && !parallelList && !retained.contains(name)) {
        throw PatchException.badRequest(BAD_RETAIN_KEYS);
      }
    }
    original.retain(retained);
  }

  /**
   * Merges two lists of a field whose strategy is merge. {@code deletion} marks a {@code
   * $deleteFromPrimitiveList} list: its primitives are removed from the original.
   */
  static ArrayNode mergeList(
      ArrayNode original, ArrayNode patch, PatchSchema.Field field, boolean deletion)
      throws PatchException {
    if (original.isEmpty() && patch.isEmpty()) {
      return original;
    }
    boolean objects = ListElements.objects(original, patch);
    List<JsonNode> server = ListElements.of(original);
    List<JsonNode> patchItems = ListElements.of(patch);
    if (objects) {
      return ListElements.array(mergeObjects(server, patchItems, field));
    }
    if (deletion) {
      server.removeIf(item -> patchItems.stream().anyMatch(d -> ListOrder.same(d, item)));
      return ListElements.array(server);
    }
    List<JsonNode> merged = new ArrayList<>(server);
    for (JsonNode item : patchItems) {
      if (merged.stream().noneMatch(m -> ListOrder.same(m, item))) {
        merged.add(item);
      }
    }
    ListOrder.Partition parts = ListOrder.partition(merged, patchItems, "");
    return ListElements.array(ListOrder.normalize(parts, patchItems, server, "", false));
  }

  /** Upstream's mergeSlice for objects: directives first, then element-wise by merge key. */
  private static List<JsonNode> mergeObjects(
      List<JsonNode> server, List<JsonNode> patchItems, PatchSchema.Field field)
      throws PatchException {
    String mergeKey = field.mergeKey();
    if (mergeKey.isEmpty()) {
      throw PatchException.badRequest("cannot merge lists without merge key");
    }
    List<JsonNode> plain = new ArrayList<>();
    boolean replace = false;
    for (JsonNode item : patchItems) {
      JsonNode directive = item.get(DIRECTIVE);
      if (directive == null) {
        plain.add(item);
      } else if ("delete".equals(directive.textValue())) {
        JsonNode key = ListOrder.mergeKeyOf(item, mergeKey);
        server.removeIf(s -> s.get(mergeKey) != null && ListOrder.same(s.get(mergeKey), key));
      } else if ("replace".equals(directive.textValue())) {
        replace = true;
      } else if ("merge".equals(directive.textValue())) {
        throw PatchException.badRequest("merging lists cannot yet be specified in the patch");
      } else {
        throw unknownPatchType(directive, item);
      }
    }
    if (replace) {
      // The list becomes the patch's other items, in the patch's order.
      server = new ArrayList<>();
      for (JsonNode item : plain) {
        server.add(mergeMap(Json.object(), (ObjectNode) item, field.schema()));
      }
      plain = List.of();
    }
    List<JsonNode> serverOrder = List.copyOf(server);
    List<JsonNode> merged = new ArrayList<>(server);
    for (JsonNode item : plain) {
      int at = indexByKey(merged, mergeKey, ListOrder.mergeKeyOf(item, mergeKey));
      if (at >= 0) {
        merged.set(at, mergeMap((ObjectNode) merged.get(at), (ObjectNode) item, field.schema()));
      } else {
        merged.add(mergeMap(Json.object(), (ObjectNode) item, field.schema()));
      }
    }
    ListOrder.Partition parts = ListOrder.partition(merged, plain, mergeKey);
    return ListOrder.normalize(parts, plain, serverOrder, mergeKey, true);
  }

  private static int indexByKey(List<JsonNode> items, String mergeKey, JsonNode key) {
    for (int i = 0; i < items.size(); i++) {
      if (ListOrder.same(items.get(i).get(mergeKey), key)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A patch value for a key the original lacks, or of another type: merged into nothing, so its
   * directives are applied and its nulls dropped.
   */
  static JsonNode fresh(JsonNode value, PatchSchema.Field field) throws PatchException {
    if (value instanceof ObjectNode map) {
      return mergeMap(Json.object(), map, field.schema());
    }
    if (value instanceof ArrayNode list && field.mergesList()) {
      return mergeList(Json.mapper().createArrayNode(), list, field, false);
    }
    return clean(value);
  }

  /** The value without null members and directives, which upstream's typed decoding drops. */
  private static JsonNode clean(JsonNode value) {
    if (value.isObject()) {
      ObjectNode out = Json.object();
      value
          .fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isNull() && !isDirective(e.getKey())) {
                  out.set(e.getKey(), clean(e.getValue()));
                }
              });
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = Json.mapper().createArrayNode();
      value.forEach(element -> out.add(clean(element)));
      return out;
    }
    return value;
  }

  private static boolean isDirective(String key) {
    return key.equals(DIRECTIVE)
        || key.equals(RETAIN_KEYS)
        || key.startsWith(SET_ELEMENT_ORDER + "/")
        || key.startsWith(DELETE_FROM_PRIMITIVE_LIST + "/");
  }

  /** The list a parallel-list directive key names: {@code prefix/<list>}. */
  static String listKey(String name, String prefix, String malformed) throws PatchException {
    int slash = name.indexOf('/');
    if (slash < 0 || !name.substring(0, slash).equals(prefix)) {
      throw PatchException.badRequest(malformed);
    }
    return name.substring(slash + 1);
  }

  static List<String> names(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static PatchException unknownPatchType(JsonNode directive, JsonNode map) {
    return PatchException.badRequest(
        "unknown patch type: " + GoText.format(directive) + " in map: " + GoText.format(map));
  }
}
