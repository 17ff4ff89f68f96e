package dev.keelson.nodeagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;

/** The one line worth showing a user from a runtime's failure, e.g. Docker's "message". */
final class RuntimeMessages {

  private RuntimeMessages() {}

  static String of(RuntimeException failure) {
    String text = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    // docker-java: "Status 500: {"message":"driver failed ...: port is already allocated"}"
    int brace = text.indexOf('{');
    if (text.startsWith("Status ") && brace > 0) {
      try {
        JsonNode body = Json.mapper().readTree(text.substring(brace));
        if (body.hasNonNull("message")) {
          return body.get("message").asText().strip();
        }
      } catch (java.io.IOException e) {
        // not JSON after all: the whole text it is
      }
    }
    return text.strip();
  }
}
