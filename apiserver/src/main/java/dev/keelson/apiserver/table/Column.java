package dev.keelson.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;

/**
 * One TableColumnDefinition. Priority 0 columns are always shown; kubectl shows priority 1 columns
 * only with {@code -o wide}. Every field is written, as Go writes them (no omitempty upstream).
 */
record Column(String name, String type, String format, String description, int priority) {

  static Column objectName() {
    return new Column("Name", "string", "name", Docs.NAME, 0);
  }

  static Column objectAge() {
    return new Column("Age", "string", "", Docs.CREATION_TIMESTAMP, 0);
  }

  static Column string(String name, String description) {
    return new Column(name, "string", "", description, 0);
  }

  static Column integer(String name, String description) {
    return new Column(name, "integer", "", description, 0);
  }

  static Column wide(String name, String description) {
    return new Column(name, "string", "", description, 1);
  }

  ObjectNode toJson() {
    ObjectNode column = Json.object();
    column.put("name", name);
    column.put("type", type);
    column.put("format", format);
    column.put("description", description);
    column.put("priority", priority);
    return column;
  }
}
