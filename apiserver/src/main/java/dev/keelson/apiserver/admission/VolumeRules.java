package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Upstream's {@code ValidateVolumes}: names, exactly one source, the sources' required fields. */
final class VolumeRules {

  private VolumeRules() {}

  /** Checks the volumes into {@code causes}; answers the valid ones by name for the mounts. */
  static Map<String, JsonNode> validate(JsonNode volumes, String path, List<FieldCause> causes) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (int i = 0; i < volumes.size(); i++) {
      JsonNode volume = volumes.get(i);
      String at = path + "[" + i + "]";
      String name = Checks.text(volume, "name");
      List<FieldCause> own = new java.util.ArrayList<>(source(volume, at));
      if (name.isEmpty()) {
        own.add(FieldCause.required(at + ".name", ""));
      } else {
        Formats.dns1123Label(name).forEach(m -> own.add(FieldCause.invalid(at + ".name", name, m)));
      }
      if (byName.containsKey(name)) {
        own.add(FieldCause.duplicate(at + ".name", name));
      }
      if (own.isEmpty()) {
        byName.put(name, volume);
      } else {
        causes.addAll(own);
      }
    }
    return byName;
  }

  private static List<FieldCause> source(JsonNode volume, String path) {
    List<FieldCause> causes = new java.util.ArrayList<>();
    int sources = 0;
    var fields = volume.fieldNames();
    while (fields.hasNext()) {
      String kind = fields.next();
      if (kind.equals("name") || !Checks.present(volume, kind)) {
        continue;
      }
      if (sources++ > 0) {
        causes.add(
            FieldCause.forbidden(path + "." + kind, "may not specify more than 1 volume type"));
        continue;
      }
      JsonNode source = volume.get(kind);
      String required =
          switch (kind) {
            case "hostPath" -> "path";
            case "secret" -> "secretName";
            case "persistentVolumeClaim" -> "claimName";
            case "nfs" -> "server";
            default -> null;
          };
      if (required != null && Checks.text(source, required).isEmpty()) {
        causes.add(FieldCause.required(path + "." + kind + "." + required, ""));
      }
    }
    if (sources == 0) {
      causes.add(FieldCause.required(path, "must specify a volume type"));
    }
    return causes;
  }
}
