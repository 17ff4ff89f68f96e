package dev.keelson.nodeagent.volume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.nodeagent.pod.ConfigSource;
import dev.keelson.nodeagent.volume.VolumeFiles.Content;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of a configMap, secret, downwardAPI or projected volume, keyed by their path in the
 * volume, as upstream's volume plugins build their payload: every key of the data, or only the
 * listed {@code items} under their own paths and modes; {@code defaultMode} (0644 when absent) for
 * the rest. A missing ConfigMap or Secret is an empty volume when optional, an error otherwise.
 */
final class ProjectedFiles {

  static final int DEFAULT_MODE = 0644;

  private ProjectedFiles() {}

  /** The files of the volume source {@code kind} ({@code configMap}, {@code secret}, ...). */
  static Map<String, Content> of(String kind, JsonNode source, JsonNode pod, ConfigSource config) {
    int defaultMode = source.path("defaultMode").asInt(DEFAULT_MODE);
    switch (kind) {
      case "configMap":
        return configMap(source, pod, config, defaultMode);
      case "secret":
        return secret(source, source.path("secretName").asText(), pod, config, defaultMode);
      case "downwardAPI":
        return DownwardApi.files(source.path("items"), pod, defaultMode);
      case "projected":
        return projected(source, pod, config, defaultMode);
      default:
        throw new IllegalStateException("not a projection: " + kind);
    }
  }

  /** The union of the projected sources, a later source's file winning, as upstream's. */
  private static Map<String, Content> projected(
      JsonNode source, JsonNode pod, ConfigSource config, int defaultMode) {
    Map<String, Content> files = new TreeMap<>();
    for (JsonNode projection : source.path("sources")) {
      if (projection.has("configMap")) {
        files.putAll(configMap(projection.path("configMap"), pod, config, defaultMode));
      } else if (projection.has("secret")) {
        JsonNode secret = projection.path("secret");
        files.putAll(secret(secret, secret.path("name").asText(), pod, config, defaultMode));
      } else if (projection.has("downwardAPI")) {
        JsonNode items = projection.path("downwardAPI").path("items");
        files.putAll(DownwardApi.files(items, pod, defaultMode));
      } else {
        String name = projection.fieldNames().hasNext() ? projection.fieldNames().next() : "{}";
        throw new VolumeException("unsupported projected source " + name);
      }
    }
    return files;
  }

  private static Map<String, Content> configMap(
      JsonNode source, JsonNode pod, ConfigSource config, int defaultMode) {
    String name = source.path("name").asText();
    Optional<Map<String, String>> data = config.configMap(namespace(pod), name);
    return keyed("configmap", name, data, source, defaultMode);
  }

  private static Map<String, Content> secret(
      JsonNode source, String name, JsonNode pod, ConfigSource config, int defaultMode) {
    return keyed("secret", name, config.secret(namespace(pod), name), source, defaultMode);
  }

  private static Map<String, Content> keyed(
      String kind,
      String name,
      Optional<Map<String, String>> data,
      JsonNode source,
      int defaultMode) {
    boolean optional = source.path("optional").asBoolean(false);
    Map<String, Content> files = new TreeMap<>();
    if (data.isEmpty()) {
      if (optional) {
        return files;
      }
      throw new VolumeException(kind + " \"" + name + "\" not found");
    }
    JsonNode items = source.path("items");
    if (items.isEmpty()) {
      data.get().forEach((key, value) -> files.put(key, content(value, defaultMode)));
      return files;
    }
    for (JsonNode item : items) {
      String key = item.path("key").asText();
      String value = data.get().get(key);
      if (value == null) {
        if (optional) {
          continue;
        }
        throw new VolumeException(kind + " \"" + name + "\" has no key \"" + key + "\"");
      }
      files.put(item.path("path").asText(), content(value, item.path("mode").asInt(defaultMode)));
    }
    return files;
  }

  static Content content(String value, int mode) {
    return new Content(value.getBytes(StandardCharsets.UTF_8), mode);
  }

  private static String namespace(JsonNode pod) {
    return pod.path("metadata").path("namespace").asText();
  }
}
