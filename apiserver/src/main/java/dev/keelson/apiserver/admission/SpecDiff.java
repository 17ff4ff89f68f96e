package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The difference between two specs, shown after a forbidden update the way upstream appends a diff
 * of the structs: the old value of each changed field with '-', the new one with '+'.
 */
final class SpecDiff {

  private SpecDiff() {}

  static String describe(String type, JsonNode old, JsonNode updated) {
    List<String> lines = new ArrayList<>();
    walk("", Checks.pruned(old), Checks.pruned(updated), lines);
    StringBuilder out = new StringBuilder("  ").append(type).append("{\n");
    lines.forEach(line -> out.append(line).append('\n'));
    return out.append("  }\n").toString();
  }

  private static void walk(String path, JsonNode old, JsonNode updated, List<String> lines) {
    if (old.equals(updated)) {
      return;
    }
    if (old.isObject() && updated.isObject()) {
      Set<String> keys = new TreeSet<>();
      old.fieldNames().forEachRemaining(keys::add);
      updated.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        walk(join(path, key), old.path(key), updated.path(key), lines);
      }
      return;
    }
    if (old.isArray() && updated.isArray() && old.size() == updated.size()) {
      for (int i = 0; i < old.size(); i++) {
        walk(path + "[" + i + "]", old.get(i), updated.get(i), lines);
      }
      return;
    }
    if (!old.isMissingNode()) {
      lines.add("- \t" + path + ": " + Json.text(old) + ",");
    }
    if (!updated.isMissingNode()) {
      lines.add("+ \t" + path + ": " + Json.text(updated) + ",");
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
