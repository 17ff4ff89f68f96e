package dev.keelson.nodeagent.volume;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes the files of a configMap, secret, downwardAPI or projected volume into its directory, as
 * upstream's AtomicWriter keeps them current: every file is replaced by a move of a temporary file
 * beside it, so a container never reads half a file; files no longer projected go. The directory
 * itself stays, so a running container's bind mount sees the new files. (Upstream swaps a {@code
 * ..data} symlink to change all files at once; here each file changes atomically on its own.)
 */
final class VolumeFiles {

  /** One file of a volume: its bytes and its permission bits (0 to 0777). */
  record Content(byte[] data, int mode) {}

  private VolumeFiles() {}

  /** Makes {@code dir} hold exactly {@code files}, keyed by their path relative to it. */
  static void write(Path dir, Map<String, Content> files) throws IOException {
    Map<Path, Content> targets = new LinkedHashMap<>();
    for (Map.Entry<String, Content> file : files.entrySet()) {
      targets.put(inside(dir, file.getKey()), file.getValue());
    }
    makeDirectories(dir, dir);
    removeOthers(dir, targets.keySet());
    for (Map.Entry<Path, Content> target : targets.entrySet()) {
      Path path = target.getKey();
      Content content = target.getValue();
      makeDirectories(dir, path.getParent());
      Set<PosixFilePermission> permissions = permissions(content.mode());
      if (unchanged(path, content.data(), permissions)) {
        continue;
      }
      Path temporary = Files.createTempFile(path.getParent(), ".", ".tmp");
      Files.write(temporary, content.data());
      Files.setPosixFilePermissions(temporary, permissions);
      Files.move(
          temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * {@code relative} resolved in {@code dir}, refused when it would leave it: absolute, with a ".."
   * element, or starting with ".." (upstream reserves those names for its writer).
   */
  static Path inside(Path dir, String relative) {
    boolean backsteps = Arrays.asList(relative.split("/")).contains("..");
    if (relative.isEmpty() || relative.startsWith("/") || relative.startsWith("..") || backsteps) {
      throw new VolumeException(
          "path \"" + relative + "\" must be relative and must not contain \"..\"");
    }
    Path path = dir.resolve(relative).normalize();
    if (!path.startsWith(dir) || path.equals(dir)) {
      throw new VolumeException("path \"" + relative + "\" leaves the volume");
    }
    return path;
  }

  /** The permission bits of {@code mode} (setuid and the like are not kept). */
  static Set<PosixFilePermission> permissions(int mode) {
    PosixFilePermission[] all = PosixFilePermission.values(); // owner rwx, group rwx, others rwx
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < all.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        permissions.add(all[i]);
      }
    }
    return permissions;
  }

  /** Creates the directories from {@code root} down to {@code dir}, readable by everyone. */
  private static void makeDirectories(Path root, Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
      for (Path d = dir; d.startsWith(root); d = d.getParent()) {
        Files.setPosixFilePermissions(d, permissions(0755));
      }
    }
  }

  private static boolean unchanged(Path path, byte[] data, Set<PosixFilePermission> permissions)
      throws IOException {
    return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
        && Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(permissions)
        && Arrays.equals(Files.readAllBytes(path), data);
  }

  /** Deletes what is in {@code dir} but neither one of {@code keep} nor a directory above one. */
  private static void removeOthers(Path dir, Set<Path> keep) throws IOException {
    Set<Path> parents = new HashSet<>();
    for (Path path : keep) {
      for (Path p = path.getParent(); p.startsWith(dir); p = p.getParent()) {
        parents.add(p);
      }
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            if (!keep.contains(file)) {
              Files.delete(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException failure)
              throws IOException {
            if (failure != null) {
              throw failure;
            }
            if (!d.equals(dir) && !parents.contains(d)) {
              Files.delete(d); // its files are gone: none of them was kept
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
