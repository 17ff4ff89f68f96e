package dev.keelson.projection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The field selectors a projection indexes, and how their values are read from an object. */
public final class Indexed {

  /** Field paths beyond metadata.name and metadata.namespace, which every object has. */
  public static final List<String> FIELDS =
      List.of(
          "spec.nodeName",
          "status.phase",
          "spec.unschedulable",
          "type",
          "reason",
          "involvedObject.kind",
          "involvedObject.namespace",
          "involvedObject.name",
          "involvedObject.uid",
          "involvedObject.apiVersion",
          "involvedObject.resourceVersion",
          "involvedObject.fieldPath");

  private static final List<String[]> PATHS = FIELDS.stream().map(f -> f.split("\\.")).toList();

  private Indexed() {}

  /** The indexed field values of {@code object}, with metadata.name and metadata.namespace. */
  public static Map<String, String> fields(JsonNode object) {
    Map<String, String> values = new HashMap<>(8);
    JsonNode metadata = object.path("metadata");
    values.put("metadata.name", metadata.path("name").asText(""));
    values.put("metadata.namespace", metadata.path("namespace").asText(""));
    for (int i = 0; i < PATHS.size(); i++) {
      JsonNode node = object;
      for (String part : PATHS.get(i)) {
        node = node.path(part);
      }
      if (node.isValueNode()) {
        values.put(FIELDS.get(i), node.asText());
      }
    }
    return Collections.unmodifiableMap(values);
  }
}
