package dev.keelson.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.util.List;

/**
 * An {@link Endpoints.Path} written as an OpenAPI v2 or v3 path item, as kube-apiserver writes it.
 */
final class PathJson {

  private static final List<String> PATCH_TYPES =
      List.of(
          "application/json-patch+json",
          "application/merge-patch+json",
          "application/strategic-merge-patch+json",
          "application/apply-patch+yaml");

  private PathJson() {}

  static ObjectNode v2(Endpoints.Path path, String tag) {
    ObjectNode item = Json.object();
    for (Endpoints.Operation op : path.operations()) {
      ObjectNode json = item.putObject(op.method());
      json.put("description", op.description());
      strings(
          json.putArray("consumes"), op.method().equals("patch") ? PATCH_TYPES : List.of("*/*"));
      strings(
          json.putArray("produces"),
          op.action().startsWith("watch")
              ? List.of("application/json", "application/json;stream=watch")
              : List.of("application/json", "application/yaml"));
      json.putArray("schemes").add("https");
      json.putArray("tags").add(tag);
      json.put("operationId", op.operationId());
      ArrayNode params = json.putArray("parameters");
      if (op.body() != null) {
        ObjectNode body = params.addObject();
        body.put("name", "body");
        body.put("in", "body");
        body.put("required", true);
        body.set("schema", Schemas.ref(op.body()));
      }
      op.params().forEach(p -> params.add(v2Param(p)));
      ObjectNode responses = json.putObject("responses");
      for (String code : codes(op)) {
        ObjectNode response = responses.putObject(code);
        response.put("description", description(code));
        response.set("schema", Schemas.ref(op.answer()));
      }
      responses.putObject("401").put("description", "Unauthorized");
      extensions(json, op);
    }
    ArrayNode shared = item.putArray("parameters");
    path.params().forEach(p -> shared.add(v2Param(p)));
    return item;
  }

  static ObjectNode v3(Endpoints.Path path, String tag) {
    ObjectNode item = Json.object();
    for (Endpoints.Operation op : path.operations()) {
      ObjectNode json = item.putObject(op.method());
      json.putArray("tags").add(tag);
      json.put("description", op.description());
      json.put("operationId", op.operationId());
      ArrayNode params = json.putArray("parameters");
      op.params().forEach(p -> params.add(v3Param(p)));
      if (op.body() != null) {
        ObjectNode body = json.putObject("requestBody");
        ObjectNode content = body.putObject("content");
        for (String type : op.method().equals("patch") ? PATCH_TYPES : List.of("*/*")) {
          content.putObject(type).set("schema", Schemas.toV3(Schemas.ref(op.body())));
        }
        body.put("required", true);
      }
      ObjectNode responses = json.putObject("responses");
      for (String code : codes(op)) {
        ObjectNode response = responses.putObject(code);
        response.put("description", description(code));
        ObjectNode content = response.putObject("content");
        for (String type :
            op.action().startsWith("watch")
                ? List.of("application/json", "application/json;stream=watch")
                : List.of("application/json", "application/yaml")) {
          content.putObject(type).set("schema", Schemas.toV3(Schemas.ref(op.answer())));
        }
      }
      responses.putObject("401").put("description", "Unauthorized");
      extensions(json, op);
    }
    ArrayNode shared = item.putArray("parameters");
    path.params().forEach(p -> shared.add(v3Param(p)));
    return item;
  }

  private static List<String> codes(Endpoints.Operation op) {
    switch (op.method()) {
      case "post":
        return List.of("200", "201", "202");
      case "put":
      case "patch":
        return List.of("200", "201");
      case "delete":
        return op.action().equals("delete") ? List.of("200", "202") : List.of("200");
      default:
        return List.of("200");
    }
  }

  private static String description(String code) {
    return code.equals("201") ? "Created" : code.equals("202") ? "Accepted" : "OK";
  }

  private static void extensions(ObjectNode json, Endpoints.Operation op) {
    json.put("x-kubernetes-action", op.action());
    json.set(
        "x-kubernetes-group-version-kind",
        Schemas.gvk(op.gvk().group(), op.gvk().version(), op.gvk().kind()));
  }

  private static ObjectNode v2Param(Endpoints.Param p) {
    ObjectNode json = Json.object();
    json.put("uniqueItems", true);
    json.put("type", p.type());
    json.put("description", p.description());
    json.put("name", p.name());
    json.put("in", p.in());
    if (p.in().equals("path")) {
      json.put("required", true);
    }
    return json;
  }

  private static ObjectNode v3Param(Endpoints.Param p) {
    ObjectNode json = Json.object();
    json.put("name", p.name());
    json.put("in", p.in());
    json.put("description", p.description());
    if (p.in().equals("path")) {
      json.put("required", true);
    }
    ObjectNode schema = json.putObject("schema");
    schema.put("type", p.type());
    schema.put("uniqueItems", true);
    return json;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
