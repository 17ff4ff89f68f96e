package dev.keelson.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * An OpenAPI v2 document in the protobuf form kubectl asks /openapi/v2 for ({@code
 * application/com.github.proto-openapi.spec.v2@v1.0+protobuf}): gnostic's {@code
 * openapi.v2.Document} message. kubectl reads no other form there. Only the parts Keelson's
 * documents use are written; vendor extensions are YAML text, as gnostic keeps them.
 */
final class SwaggerProtobuf {

  private SwaggerProtobuf() {}

  static byte[] encode(JsonNode document) {
    Message doc = new Message();
    doc.string(1, document.path("swagger").asText());
    Message info = new Message();
    info.string(1, document.path("info").path("title").asText());
    info.string(2, document.path("info").path("version").asText());
    doc.message(2, info);
    Message paths = new Message();
    for (Map.Entry<String, JsonNode> path : fields(document.path("paths"))) {
      Message named = new Message();
      named.string(1, path.getKey());
      named.message(2, pathItem(path.getValue()));
      paths.message(2, named);
    }
    doc.message(8, paths);
    Message definitions = new Message();
    for (Map.Entry<String, JsonNode> definition : fields(document.path("definitions"))) {
      definitions.message(1, named(definition.getKey(), schema(definition.getValue())));
    }
    doc.message(9, definitions);
    return doc.bytes();
  }

  private static Message pathItem(JsonNode item) {
    Message message = new Message();
    String[] methods = {"get", "put", "post", "delete", "options", "head", "patch"};
    for (int i = 0; i < methods.length; i++) {
      if (item.has(methods[i])) {
        message.message(2 + i, operation(item.get(methods[i])));
      }
    }
    item.path("parameters").forEach(p -> message.message(9, parameter(p)));
    extensions(message, 10, item);
    return message;
  }

  private static Message operation(JsonNode op) {
    Message message = new Message();
    op.path("tags").forEach(t -> message.string(1, t.asText()));
    message.string(3, op.path("description").asText());
    message.string(5, op.path("operationId").asText());
    op.path("produces").forEach(t -> message.string(6, t.asText()));
    op.path("consumes").forEach(t -> message.string(7, t.asText()));
    op.path("parameters").forEach(p -> message.message(8, parameter(p)));
    Message responses = new Message();
    for (Map.Entry<String, JsonNode> response : fields(op.path("responses"))) {
      Message body = new Message();
      body.string(1, response.getValue().path("description").asText());
      if (response.getValue().has("schema")) {
        body.message(2, new Message().message(1, schema(response.getValue().get("schema"))));
      }
      Message named = new Message();
      named.string(1, response.getKey());
      named.message(2, new Message().message(1, body));
      responses.message(1, named);
    }
    message.message(9, responses);
    op.path("schemes").forEach(t -> message.string(10, t.asText()));
    extensions(message, 13, op);
    return message;
  }

  /** A ParametersItem holding a Parameter: a body parameter or a query/path one. */
  private static Message parameter(JsonNode p) {
    String in = p.path("in").asText();
    Message parameter = new Message();
    if (in.equals("body")) {
      Message body = new Message();
      body.string(1, p.path("description").asText());
      body.string(2, p.path("name").asText());
      body.string(3, in);
      body.bool(4, p.path("required").asBoolean());
      body.message(5, schema(p.path("schema")));
      parameter.message(1, body);
    } else {
      boolean path = in.equals("path");
      Message sub = new Message();
      sub.bool(1, p.path("required").asBoolean());
      sub.string(2, in);
      sub.string(3, p.path("description").asText());
      sub.string(4, p.path("name").asText());
      // Path and header sub-schemas have no allow_empty_value (5), so their later fields shift.
      sub.string(path ? 5 : 6, p.path("type").asText());
      sub.bool(path ? 19 : 20, p.path("uniqueItems").asBoolean());
      parameter.message(2, new Message().message(path ? 4 : 3, sub));
    }
    return new Message().message(1, parameter);
  }

  private static Message schema(JsonNode s) {
    Message message = new Message();
    message.string(1, s.path("$ref").asText());
    message.string(2, s.path("format").asText());
    message.string(4, s.path("description").asText());
    s.path("required").forEach(r -> message.string(19, r.asText()));
    JsonNode additional = s.path("additionalProperties");
    if (additional.isObject()) {
      message.message(21, new Message().message(1, schema(additional)));
    } else if (additional.isBoolean()) {
      message.message(21, new Message().bool(2, additional.asBoolean()));
    }
    if (s.has("type")) {
      message.message(22, new Message().string(1, s.get("type").asText()));
    }
    if (s.has("items")) {
      message.message(23, new Message().message(1, schema(s.get("items"))));
    }
    if (s.has("properties")) {
      Message properties = new Message();
      for (Map.Entry<String, JsonNode> property : fields(s.get("properties"))) {
        properties.message(1, named(property.getKey(), schema(property.getValue())));
      }
      message.message(25, properties);
    }
    extensions(message, 31, s);
    return message;
  }

  private static Message named(String name, Message value) {
    Message named = new Message();
    named.string(1, name);
    named.message(2, value);
    return named;
  }

  /** The x- keys of {@code json} as NamedAny messages whose Any holds the value as YAML. */
  private static void extensions(Message message, int field, JsonNode json) {
    for (Map.Entry<String, JsonNode> entry : fields(json)) {
      if (entry.getKey().startsWith("x-")) {
        Message any = new Message().string(2, Json.text(entry.getValue()) + "\n");
        message.message(field, named(entry.getKey(), any));
      }
    }
  }

  private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    return () -> fields;
  }

  /** A protobuf message being written: fields appended in the order given. */
  static final class Message {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Message string(int field, String value) {
      if (value != null && !value.isEmpty()) {
        bytes(field, value.getBytes(StandardCharsets.UTF_8));
      }
      return this;
    }

    Message bool(int field, boolean value) {
      if (value) {
        varint((field << 3));
        varint(1);
      }
      return this;
    }

    Message message(int field, Message value) {
      bytes(field, value.bytes());
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void bytes(int field, byte[] value) {
      varint((field << 3) | 2);
      varint(value.length);
      out.writeBytes(value);
    }

    private void varint(long value) {
      while ((value & ~0x7FL) != 0) {
        out.write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
    }
  }
}
