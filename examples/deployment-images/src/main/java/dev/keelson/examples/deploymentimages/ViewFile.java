package dev.keelson.examples.deploymentimages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The view and the offset of the next record, saved together in one JSON file: written whole to a
 * temporary file, forced to disk, and renamed over the old one, so that after a crash the file
 * holds either the old view with the old offset or the new view with the new offset, never one
 * without the other.
 */
public final class ViewFile {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path path;

  public ViewFile(Path path) {
    this.path = path.toAbsolutePath();
  }

  public Path path() {
    return path;
  }

  /** The saved view, or empty when none was saved yet. */
  public Optional<DeploymentImages.State> load() {
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(path.toFile(), DeploymentImages.State.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the view " + path, e);
    }
  }

  public void save(DeploymentImages.State state) {
    Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
    try {
      byte[] bytes = JSON.writeValueAsBytes(state);
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(
          temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the view " + path, e);
    }
  }
}
