package dev.keelson.examples.deploymentimages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * One record of keelson.changes, read as docs/topics.md ("Applied or rejected", rule 1) says: what
 * is not a change Keelson can read is skipped, as Keelson itself skips it.
 *
 * @param key the object's key, {@code <group>/<kind>/<namespace>/<name>}
 * @param op CREATE, UPDATE, UPDATE_STATUS or DELETE
 * @param mustBeAbsent the precondition names absence
 * @param resourceVersion the precondition's resourceVersion, or null when it names none
 * @param object the whole object after the change
 * @param user the actor's user, or null
 * @param time the envelope's time, or null
 */
record ChangeRecord(
    String key,
    String op,
    boolean mustBeAbsent,
    String resourceVersion,
    JsonNode object,
    String user,
    String time) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> OPS = Set.of("CREATE", "UPDATE", "UPDATE_STATUS", "DELETE");

  /** The change a record holds, or empty when Keelson would skip it. */
  static Optional<ChangeRecord> read(String recordKey, byte[] value) {
    JsonNode envelope;
    try {
      envelope = value == null ? null : JSON.readTree(value);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (envelope == null || !envelope.isObject()) {
      return Optional.empty();
    }
    String op = envelope.path("op").asText("");
    JsonNode object = envelope.get("object");
    if (!OPS.contains(op) || object == null || !object.isObject()) {
      return Optional.empty();
    }
    String kind = object.path("kind").asText("");
    String name = object.path("metadata").path("name").asText("");
    JsonNode precondition = present(envelope, "precondition");
    JsonNode actor = present(envelope, "actor");
    if (kind.isEmpty()
        || name.isEmpty()
        || (precondition != null && !precondition.isObject())
        || (actor != null && !actor.isObject())) {
      return Optional.empty();
    }
    JsonNode time = present(envelope, "time");
    if (time != null && !isInstant(time.asText())) {
      return Optional.empty();
    }
    String key =
        group(object.path("apiVersion").asText(""))
            + "/"
            + kind
            + "/"
            + object.path("metadata").path("namespace").asText("")
            + "/"
            + name;
    if (recordKey != null && !recordKey.equals(key)) {
      return Optional.empty();
    }
    JsonNode absent = precondition == null ? null : present(precondition, "absent");
    JsonNode version = precondition == null ? null : present(precondition, "resourceVersion");
    return Optional.of(
        new ChangeRecord(
            key,
            op,
            absent != null && absent.asBoolean(),
            version == null ? null : version.asText(),
            object,
            actor == null ? null : actor.path("user").asText(null),
            time == null ? null : time.asText()));
  }

  /** {@code apps/v1 -> apps}, {@code v1 -> ""}. */
  private static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static JsonNode present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private static boolean isInstant(String text) {
    try {
      Instant.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
