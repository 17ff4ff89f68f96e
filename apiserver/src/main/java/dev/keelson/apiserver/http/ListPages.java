package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.projection.StoredObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The pages of limited lists. The first page of a list keeps the whole selection as of its revision
 * (the objects are immutable, so this holds references, not copies), and every later page is cut
 * from that selection: all pages are at one resourceVersion. A continue token names the selection,
 * the revision and where the next page starts. Selections are kept for a while and in a bounded
 * number; a token whose selection is gone gets 410 Expired, as upstream answers a token whose
 * revision was compacted away, and clients start the list again.
 */
final class ListPages {

  static final Duration KEPT_FOR = Duration.ofMinutes(5);
  private static final int MAX_SELECTIONS = 512;

  /** One page: its items, the token of the next page (null when last), the items left after it. */
  record Page(List<StoredObject> items, long revision, String continueToken, long remaining) {}

  /** A decoded continue token. */
  record Token(String selection, long revision, int start) {}

  private record Selection(List<StoredObject> items, long revision, Instant kept) {}

  private final Clock clock;
  private final Map<String, Selection> selections =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Selection> eldest) {
          return size() > MAX_SELECTIONS;
        }
      };

  ListPages(Clock clock) {
    this.clock = clock;
  }

  /** The first page of a selection; {@code limit <= 0} means everything. */
  synchronized Page first(List<StoredObject> selected, long revision, long limit) {
    if (limit <= 0 || selected.size() <= limit) {
      return new Page(selected, revision, null, 0);
    }
    String id = UUID.randomUUID().toString();
    selections.put(id, new Selection(selected, revision, clock.instant()));
    return cut(id, selected, revision, 0, (int) limit);
  }

  /** The page a token asks for, or null when its selection is no longer kept. */
  synchronized Page next(Token token, long limit) {
    Selection selection = selections.get(token.selection());
    if (selection == null
        || selection.revision() != token.revision()
        || selection.kept().plus(KEPT_FOR).isBefore(clock.instant())) {
      selections.remove(token.selection());
      return null;
    }
    int size = limit <= 0 ? Integer.MAX_VALUE : (int) Math.min(limit, Integer.MAX_VALUE);
    return cut(token.selection(), selection.items(), selection.revision(), token.start(), size);
  }

  private Page cut(String id, List<StoredObject> items, long revision, int start, int size) {
    int from = Math.min(start, items.size());
    int to = (int) Math.min((long) from + size, items.size());
    if (to >= items.size()) {
      selections.remove(id);
      return new Page(items.subList(from, to), revision, null, 0);
    }
    return new Page(
        items.subList(from, to), revision, encode(new Token(id, revision, to)), items.size() - to);
  }

  static String encode(Token token) {
    ObjectNode json = Json.object();
    json.put("s", token.selection());
    json.put("rv", token.revision());
    json.put("start", token.start());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(json));
  }

  /**
   * @throws IllegalArgumentException when the token is not one of ours
   */
  static Token decode(String text) {
    try {
      JsonNode json =
          Json.mapper()
              .readTree(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
      if (!json.path("s").isTextual()
          || !json.path("rv").canConvertToLong()
          || !json.path("start").canConvertToInt()
          || json.path("start").asInt() < 0) {
        throw new IllegalArgumentException("continue key is not valid: incorrect encoded start");
      }
      return new Token(
          json.path("s").asText(), json.path("rv").asLong(), json.path("start").asInt());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("continue key is not valid: " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("continue key is not valid: not a continue token", e);
    }
  }
}
