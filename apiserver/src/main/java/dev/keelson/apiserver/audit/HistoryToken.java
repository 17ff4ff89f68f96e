package dev.keelson.apiserver.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The continue token of a history page: where the next page starts, where the first page ended the
 * history (its revision, so that every page is of the same history), and which query it belongs to.
 * The log only grows, so a token never expires.
 *
 * @param from the first revision of the next page
 * @param to the first revision the history does not hold (the first page's revision + 1)
 * @param fingerprint the query's parameters, digested
 */
public record HistoryToken(long from, long to, String fingerprint) {

  public String encode() {
    ObjectNode json = Json.object();
    json.put("v", 1);
    json.put("from", from);
    json.put("to", to);
    json.put("query", fingerprint);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(json));
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not a history's continue token
   */
  public static HistoryToken decode(String text) {
    try {
      JsonNode json =
          Json.mapper()
              .readTree(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
      long from = json.path("from").asLong(0);
      long to = json.path("to").asLong(0);
      if (json.path("v").asInt() == 1
          && from >= 1
          && to >= from
          && json.path("query").isTextual()) {
        return new HistoryToken(from, to, json.path("query").asText());
      }
    } catch (Exception e) {
      // Said below.
    }
    throw new IllegalArgumentException("continue: not a continue token of the history");
  }
}
