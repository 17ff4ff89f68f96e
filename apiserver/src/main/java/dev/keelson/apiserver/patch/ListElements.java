package dev.keelson.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.keelson.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** The elements of JSON lists being merged, and the one element type they must share. */
final class ListElements {

  private ListElements() {}

  /**
   * Whether the lists hold objects rather than primitives. As upstream: a list of lists is
   * unprocessable, and all elements of the lists must be of one type.
   */
  static boolean objects(ArrayNode... lists) throws PatchException {
    String type = null;
    for (ArrayNode list : lists) {
      for (JsonNode element : list) {
        String elementType = GoText.type(element);
        if (type == null) {
          if (element.isArray()) {
            throw PatchException.unprocessable("lists of lists are not supported");
          }
          type = elementType;
        } else if (!type.equals(elementType)) {
          StringJoiner all = new StringJoiner(" ", "[", "]");
          for (ArrayNode each : lists) {
            all.add(GoText.format(each));
          }
          throw PatchException.badRequest("list element types are not identical: " + all);
        }
      }
    }
    return "map[string]interface {}".equals(type);
  }

  static List<JsonNode> of(ArrayNode list) {
    List<JsonNode> elements = new ArrayList<>(list.size());
    list.forEach(elements::add);
    return elements;
  }

  static ArrayNode array(List<JsonNode> elements) {
    ArrayNode array = Json.mapper().createArrayNode();
    elements.forEach(array::add);
    return array;
  }
}
