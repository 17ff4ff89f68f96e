package dev.keelson.apiserver.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.keelson.api.Json;
import java.io.IOException;

/** Reads a patch body as strictly as Go's encoding/json: exactly one JSON value. */
final class PatchBody {

  private static final ObjectReader READER =
      Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private PatchBody() {}

  /** The body's JSON value; a 400 worded like Go's decoder when the body is not JSON. */
  static JsonNode read(byte[] body) throws PatchException {
    try {
      JsonNode node = body == null ? null : READER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw PatchException.badRequest("unexpected end of JSON input");
      }
      return node;
    } catch (JsonEOFException e) {
      throw PatchException.badRequest("unexpected end of JSON input");
    } catch (JsonProcessingException e) {
      throw PatchException.badRequest("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw PatchException.badRequest("invalid JSON: " + e.getMessage());
    }
  }
}
