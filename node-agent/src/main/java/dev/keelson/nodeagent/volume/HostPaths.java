package dev.keelson.nodeagent.volume;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A hostPath volume: the node's own path, checked as upstream's hostPath plugin checks its {@code
 * type}. "" checks nothing; DirectoryOrCreate and FileOrCreate create what is missing (0755 and
 * 0644); the other types require the path to exist as that kind of file (symlinks followed).
 */
final class HostPaths {

  // The file type bits of st_mode, and the names upstream's GetFileType answers for them.
  private static final int TYPE_BITS = 0170000;
  private static final Map<Integer, String> TYPES =
      Map.of(
          0040000, "Directory",
          0100000, "File",
          0140000, "Socket",
          0020000, "CharDevice",
          0060000, "BlockDevice");

  private HostPaths() {}

  /** The checked path of the hostPath volume source {@code source}. */
  static Path prepare(JsonNode source) throws IOException {
    String raw = source.path("path").asText();
    Path path = Path.of(raw);
    if (!path.isAbsolute()) {
      throw new VolumeException("hostPath \"" + raw + "\" must be an absolute path");
    }
    String type = source.path("type").asText("");
    switch (type) {
      case "":
        return path; // no checks, for compatibility, as upstream's
      case "DirectoryOrCreate":
        if (!Files.exists(path)) {
          Files.createDirectories(path);
          Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return expect(path, "Directory", "directory");
      case "Directory":
        return expect(path, "Directory", "directory");
      case "FileOrCreate":
        if (!Files.exists(path)) {
          try {
            Files.createFile(path); // not its parent, as upstream's
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
          } catch (FileAlreadyExistsException raced) {
            // created meanwhile: checked below
          }
        }
        return expect(path, "File", "file");
      case "File":
        return expect(path, "File", "file");
      case "Socket":
        return expect(path, "Socket", "socket file");
      case "CharDevice":
        return expect(path, "CharDevice", "character device");
      case "BlockDevice":
        return expect(path, "BlockDevice", "block device");
      default:
        throw new VolumeException("hostPath type \"" + type + "\" is not valid");
    }
  }

  private static Path expect(Path path, String type, String description) throws IOException {
    if (!Files.exists(path)) {
      throw new VolumeException("hostPath " + path + " does not exist (type " + type + ")");
    }
    int mode = (Integer) Files.getAttribute(path, "unix:mode");
    String actual = TYPES.getOrDefault(mode & TYPE_BITS, "file of another type");
    if (!actual.equals(type)) {
      throw new VolumeException(
          "hostPath type check failed: "
              + path
              + " is not a "
              + description
              + ", it is a "
              + actual);
    }
    return path;
  }
}
