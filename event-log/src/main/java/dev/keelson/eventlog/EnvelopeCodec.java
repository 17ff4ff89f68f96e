package dev.keelson.eventlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.change.Actor;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The JSON form of a {@link ChangeEnvelope} in the log, and the strict reading of it. */
public final class EnvelopeCodec {

  private static final ObjectMapper MAPPER = Json.mapper();

  private EnvelopeCodec() {}

  public static byte[] encode(ChangeEnvelope envelope) {
    return Json.bytes(envelope);
  }

  /**
   * Reads a record value as an envelope.
   *
   * @throws MalformedRecordException when the value is not an envelope Keelson can apply
   */
  public static ChangeEnvelope decode(byte[] value) {
    if (value == null) {
      throw new MalformedRecordException("empty value");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(value);
    } catch (IOException e) {
      throw new MalformedRecordException("not JSON: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new MalformedRecordException("not a JSON object");
    }
    Op op;
    try {
      op = Op.valueOf(tree.path("op").asText(""));
    } catch (IllegalArgumentException e) {
      throw new MalformedRecordException("unknown op " + tree.path("op"));
    }
    if (!(tree.get("object") instanceof ObjectNode object)) {
      throw new MalformedRecordException("no object");
    }
    if (object.path("kind").asText("").isEmpty()
        || object.path("metadata").path("name").asText("").isEmpty()) {
      throw new MalformedRecordException("object without kind or metadata.name");
    }
    try {
      Precondition precondition = precondition(tree.get("precondition"));
      Actor actor = actor(tree.get("actor"));
      String requestId = tree.hasNonNull("requestId") ? tree.get("requestId").asText() : null;
      Instant time = tree.hasNonNull("time") ? Instant.parse(tree.get("time").asText()) : null;
      return new ChangeEnvelope(op, precondition, object, actor, requestId, time);
    } catch (DateTimeParseException e) {
      throw new MalformedRecordException("bad envelope field: " + e.getMessage());
    }
  }

  // Read by hand rather than by data binding: this runs for every record of every replay.
  private static Precondition precondition(JsonNode node) {
    if (node == null || node.isNull()) {
      return Precondition.none();
    }
    if (!node.isObject()) {
      throw new MalformedRecordException("bad envelope field: precondition is not an object");
    }
    JsonNode absent = node.get("absent");
    JsonNode version = node.get("resourceVersion");
    return new Precondition(
        absent == null || absent.isNull() ? null : absent.asBoolean(),
        version == null || version.isNull() ? null : version.asText());
  }

  private static Actor actor(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new MalformedRecordException("bad envelope field: actor is not an object");
    }
    List<String> groups = new ArrayList<>();
    node.path("groups").forEach(g -> groups.add(g.asText()));
    return new Actor(node.path("user").asText(null), groups);
  }
}
