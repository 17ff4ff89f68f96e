package dev.keelson.nodeagent.volume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.nodeagent.pod.ConfigSource;
import dev.keelson.nodeagent.runtime.Mount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's volumes on the node, as the kubelet sets them up: each volume made on the host under the
 * pod's directory ({@code volumes/<kind>/<name>}) or, for hostPath, checked on the node; then every
 * container's volumeMounts as the binds the runtime makes. Preparing again is safe and brings
 * ConfigMap, Secret and downward API files up to date; emptyDirs keep what the containers wrote.
 */
public final class PodVolumes {

  // The directory under volumes/ of each kind the agent makes itself.
  private static final Map<String, String> DIRECTORIES =
      Map.of(
          "emptyDir", "empty-dir",
          "configMap", "configmap",
          "secret", "secret",
          "downwardAPI", "downward-api",
          "projected", "projected");

  /** A volume made on the host; {@code readOnly} when containers must never write it. */
  private record Prepared(Path path, boolean readOnly) {}

  private PodVolumes() {}

  /**
   * Makes the volumes of {@code pod} under {@code podDir} and answers, for every container and init
   * container by name, the mounts of its volumeMounts (absolute host paths, as binds need).
   *
   * @throws VolumeException when a volume cannot be made or a mount names no volume, with the
   *     reason in one line
   */
  public static Map<String, List<Mount>> prepare(JsonNode pod, Path podDir, ConfigSource config) {
    Path volumesDir = podDir.toAbsolutePath().normalize().resolve("volumes");
    Map<String, Prepared> volumes = new HashMap<>();
    for (JsonNode volume : pod.path("spec").path("volumes")) {
      String name = volume.path("name").asText();
      try {
        volumes.put(name, prepare(volume, name, pod, volumesDir, config));
      } catch (VolumeException e) {
        throw new VolumeException("volume \"" + name + "\": " + e.getMessage(), e);
      } catch (IOException | UncheckedIOException e) {
        throw new VolumeException("volume \"" + name + "\": cannot be made: " + e, e);
      }
    }
    Map<String, List<Mount>> mounts = new LinkedHashMap<>();
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode container : pod.path("spec").path(list)) {
        String name = container.path("name").asText();
        mounts.put(name, mounts(container.path("volumeMounts"), name, volumes));
      }
    }
    return mounts;
  }

  /** Deletes every volume made for the pod, and {@code podDir} when nothing else is left in it. */
  public static void remove(Path podDir) {
    try {
      Trees.delete(podDir.resolve("volumes"));
      Trees.deleteIfEmpty(podDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the volumes of " + podDir, e);
    }
  }

  private static Prepared prepare(
      JsonNode volume, String name, JsonNode pod, Path volumesDir, ConfigSource config)
      throws IOException {
    String kind = kind(volume);
    if (kind.equals("hostPath")) {
      return new Prepared(HostPaths.prepare(volume.path("hostPath")), false);
    }
    if (!DIRECTORIES.containsKey(kind)) {
      throw new VolumeException("unsupported volume source " + kind);
    }
    Path dir = VolumeFiles.inside(volumesDir.resolve(DIRECTORIES.get(kind)), name);
    if (kind.equals("emptyDir")) {
      // medium: Memory is a plain directory too: the node's disk stands in for a tmpfs.
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, VolumeFiles.permissions(0777)); // as upstream's
      }
      return new Prepared(dir, false);
    }
    VolumeFiles.write(dir, ProjectedFiles.of(kind, volume.path(kind), pod, config));
    return new Prepared(dir, true); // upstream mounts these read-only, whatever the mount says
  }

  /** The source of a volume: its one field besides the name (emptyDir when none, the default). */
  private static String kind(JsonNode volume) {
    for (Iterator<String> fields = volume.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!field.equals("name")) {
        return field;
      }
    }
    return "emptyDir";
  }

  private static List<Mount> mounts(
      JsonNode volumeMounts, String container, Map<String, Prepared> volumes) {
    List<Mount> mounts = new ArrayList<>();
    for (JsonNode mount : volumeMounts) {
      String name = mount.path("name").asText();
      String described = "volumeMount \"" + name + "\" of container \"" + container + "\"";
      Prepared volume = volumes.get(name);
      if (volume == null) {
        throw new VolumeException(described + " names no volume of the pod");
      }
      Path host = volume.path();
      try {
        if (!mount.path("subPathExpr").asText("").isEmpty()) {
          throw new VolumeException("subPathExpr is not supported");
        }
        String subPath = mount.path("subPath").asText("");
        if (!subPath.isEmpty()) {
          host = SubPaths.resolve(volume.path(), subPath);
        }
      } catch (VolumeException e) {
        throw new VolumeException(described + ": " + e.getMessage(), e);
      } catch (IOException | UncheckedIOException e) {
        throw new VolumeException(described + ": subPath cannot be made: " + e, e);
      }
      boolean readOnly = mount.path("readOnly").asBoolean(false) || volume.readOnly();
      mounts.add(new Mount(host.toString(), mount.path("mountPath").asText(), readOnly));
    }
    return mounts;
  }
}
