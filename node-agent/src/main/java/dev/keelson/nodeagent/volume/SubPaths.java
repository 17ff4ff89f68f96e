package dev.keelson.nodeagent.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The host path of a volumeMount's subPath, as the kubelet makes it: relative without "..", created
 * as a directory with the volume's permissions when missing, and resolved through symlinks that
 * must stay in the volume (a container could have planted one in an emptyDir to reach the node).
 */
final class SubPaths {

  private SubPaths() {}

  static Path resolve(Path volume, String subPath) throws IOException {
    if (subPath.startsWith("/")) {
      throw new VolumeException("subPath \"" + subPath + "\" must not be an absolute path");
    }
    if (Arrays.asList(subPath.split("/")).contains("..")) {
      throw new VolumeException("subPath \"" + subPath + "\" must not contain \"..\"");
    }
    Path root = volume.toRealPath();
    Path target = volume.resolve(subPath).normalize();
    List<Path> missing = new ArrayList<>();
    Path existing = target;
    while (!Files.exists(existing)) {
      missing.add(0, existing);
      existing = existing.getParent();
    }
    inside(root, existing.toRealPath(), subPath);
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(root);
    for (Path dir : missing) {
      Files.createDirectory(dir);
      Files.setPosixFilePermissions(dir, permissions);
    }
    return inside(root, target.toRealPath(), subPath);
  }

  private static Path inside(Path root, Path real, String subPath) {
    if (!real.startsWith(root)) {
      throw new VolumeException("subPath \"" + subPath + "\" leads out of the volume to " + real);
    }
    return real;
  }
}
