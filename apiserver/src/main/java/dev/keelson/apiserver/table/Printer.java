package dev.keelson.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The columns of one resource and how one object fills them: upstream's print handler for a type.
 * Cells are Strings and Longs, in column order, always including the priority 1 columns (upstream
 * generates server-side Tables as wide and lets the client drop what it does not show).
 */
interface Printer {

  List<Column> columns();

  List<Object> cells(JsonNode object, Instant now);

  /** TableRowConditions of the row, or null for none. */
  default ArrayNode conditions(JsonNode object) {
    return null;
  }

  static Printer of(List<Column> columns, BiFunction<JsonNode, Instant, List<Object>> cells) {
    return new Printer() {
      @Override
      public List<Column> columns() {
        return columns;
      }

      @Override
      public List<Object> cells(JsonNode object, Instant now) {
        return cells.apply(object, now);
      }
    };
  }
}
