package dev.keelson.nodeagent.volume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.nodeagent.volume.VolumeFiles.Content;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a downwardAPI volume: the pod's name, namespace, uid, labels and annotations, as
 * upstream writes them (a map as sorted {@code key="value"} lines, the value quoted as Go's %q).
 */
final class DownwardApi {

  private static final Pattern SUBSCRIPT =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

  private DownwardApi() {}

  static Map<String, Content> files(JsonNode items, JsonNode pod, int defaultMode) {
    Map<String, Content> files = new TreeMap<>();
    for (JsonNode item : items) {
      String path = item.path("path").asText();
      if (item.has("resourceFieldRef")) {
        throw new VolumeException(
            "downwardAPI item \"" + path + "\": resourceFieldRef is not supported");
      }
      String field = item.path("fieldRef").path("fieldPath").asText();
      int mode = item.path("mode").asInt(defaultMode);
      files.put(path, ProjectedFiles.content(value(field, pod.path("metadata")), mode));
    }
    return files;
  }

  /** The value of {@code fieldPath}, from the fields upstream lets a volume read. */
  static String value(String fieldPath, JsonNode metadata) {
    switch (fieldPath) {
      case "metadata.name":
      case "metadata.namespace":
      case "metadata.uid":
        return metadata.path(fieldPath.substring("metadata.".length())).asText();
      case "metadata.labels":
      case "metadata.annotations":
        return format(metadata.path(fieldPath.substring("metadata.".length())));
      default:
        Matcher subscript = SUBSCRIPT.matcher(fieldPath);
        if (subscript.matches()) {
          return metadata.path(subscript.group(1)).path(subscript.group(2)).asText("");
        }
        throw new VolumeException("downwardAPI field \"" + fieldPath + "\" is not supported");
    }
  }

  /** A map as upstream's FormatMap writes it: {@code key="value"} lines sorted by key. */
  static String format(JsonNode map) {
    Map<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    StringBuilder out = new StringBuilder();
    sorted.forEach(
        (key, value) -> {
          out.append(out.length() == 0 ? "" : "\n").append(key).append('=');
          quote(value, out);
        });
    return out.toString();
  }

  /** {@code value} in double quotes with Go's escapes, as %q writes it. */
  static void quote(String value, StringBuilder out) {
    out.append('"');
    value
        .codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 0x0b -> out.append("\\v");
                default -> {
                  if (c < 0x20 || c == 0x7f) {
                    out.append(String.format("\\x%02x", c));
                  } else {
                    out.appendCodePoint(c);
                  }
                }
              }
            });
    out.append('"');
  }
}
