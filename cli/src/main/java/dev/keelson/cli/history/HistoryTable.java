package dev.keelson.cli.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table {@code keelson history} prints: one row per record, oldest first, with the change
 * summarized from its JSON patch ({@code replace /spec/replicas 3→5}).
 */
public final class HistoryTable {

  static final String[] HEADER = {"REVISION", "TIME", "ACTOR", "OP", "VERDICT", "CHANGE"};

  /** How many operations of a patch a row shows before "+N more". */
  static final int SHOWN = 3;

  /** How long a value may be in a row before it is cut. */
  static final int VALUE_WIDTH = 30;

  private HistoryTable() {}

  /** The table of {@code items} (history items as the API answers them), header first. */
  public static List<String> render(List<JsonNode> items) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (JsonNode item : items) {
      rows.add(
          new String[] {
            item.path("revision").asText(),
            time(item.path("time").asText()),
            item.path("actor").path("user").asText("-"),
            item.path("op").asText(),
            verdict(item),
            change(item)
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 3));
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  /** The time to the millisecond: enough to order what people did, and narrower. */
  static String time(String text) {
    try {
      return Instant.parse(text).truncatedTo(ChronoUnit.MILLIS).toString();
    } catch (DateTimeParseException e) {
      return text;
    }
  }

  static String verdict(JsonNode item) {
    String verdict = item.path("verdict").asText();
    String rejection = item.path("rejection").asText("");
    return rejection.isEmpty() ? verdict : verdict + " (" + camel(rejection) + ")";
  }

  /** The change a record made, from its patch: created, deleted, or its first operations. */
  static String change(JsonNode item) {
    String op = item.path("op").asText();
    boolean applied = item.path("verdict").asText().equals("Applied");
    if (applied && op.equals("CREATE")) {
      return "created";
    }
    if (applied && op.equals("DELETE")) {
      return "deleted";
    }
    List<String> operations = new ArrayList<>();
    for (JsonNode operation : item.path("patch")) {
      String path = operation.path("path").asText();
      // The generation follows every change of the spec: it tells nothing of its own.
      if (!path.equals("/metadata/generation")) {
        operations.add(operation(operation));
      }
    }
    if (operations.isEmpty()) {
      return op.equals("DELETE") ? "delete" : "no change";
    }
    String shown = String.join(", ", operations.subList(0, Math.min(SHOWN, operations.size())));
    return operations.size() > SHOWN
        ? shown + ", +" + (operations.size() - SHOWN) + " more"
        : shown;
  }

  private static String operation(JsonNode operation) {
    String op = operation.path("op").asText();
    String path = operation.path("path").asText();
    return switch (op) {
      case "replace" ->
          "replace "
              + path
              + " "
              + value(operation.get("fromValue"))
              + "→"
              + value(operation.get("value"));
      case "add" -> "add " + path + " " + value(operation.get("value"));
      default -> op + " " + path;
    };
  }

  static String value(JsonNode value) {
    if (value == null) {
      return "?";
    }
    String text = value.isTextual() ? value.asText() : Json.text(value);
    return text.length() <= VALUE_WIDTH ? text : text.substring(0, VALUE_WIDTH - 1) + "…";
  }

  private static String camel(String constant) {
    StringBuilder camel = new StringBuilder();
    for (String word : constant.toLowerCase(Locale.ROOT).split("_")) {
      if (!word.isEmpty()) {
        camel.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    return camel.toString();
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
  }
}
