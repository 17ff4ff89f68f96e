package dev.keelson.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of a projection's state at a revision, as files of JSON lines: a header, then one
 * object per line. A snapshot is a cache: it names the log it belongs to, is written to a temporary
 * file and renamed into place, and any snapshot that cannot be read is ignored, so deleting
 * snapshots loses nothing but replay time.
 */
final class SnapshotStore {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
  private static final int FORMAT = 1;
  private static final int KEEP = 2;

  private final Path dir;

  SnapshotStore(Path dir) {
    this.dir = dir;
  }

  Path write(String logId, ObjectStore state) throws IOException {
    Files.createDirectories(dir);
    long revision = state.revision();
    Path target = dir.resolve(String.format("snapshot-%020d.jsonl", revision));
    Path temp = dir.resolve(target.getFileName() + ".tmp");
    List<StoredObject> objects = state.all();
    ObjectNode header = Json.object();
    header.put("format", FORMAT);
    header.put("logId", logId);
    header.put("revision", revision);
    header.put("skipped", state.skipped());
    header.put("objects", objects.size());
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
      out.write(Json.bytes(header));
      out.write('\n');
      for (StoredObject object : objects) {
        out.write(object.json());
        out.write('\n');
      }
    }
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    prune();
    return target;
  }

  /** The newest readable snapshot of {@code logId} at or before {@code maxRevision}. */
  Optional<ObjectStore> latest(String logId, long maxRevision) {
    for (Path file : files()) {
      try {
        Optional<ObjectStore> state = read(file, logId, maxRevision);
        if (state.isPresent()) {
          return state;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("ignoring snapshot {} that cannot be read: {}", file, e.toString());
      }
    }
    return Optional.empty();
  }

  private Optional<ObjectStore> read(Path file, String logId, long maxRevision) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonNode header = Json.mapper().readTree(in.readLine());
      long revision = header.path("revision").asLong(-1);
      if (header.path("format").asInt() != FORMAT
          || !logId.equals(header.path("logId").asText())
          || revision < 0
          || revision > maxRevision) {
        return Optional.empty();
      }
      ObjectStore state = new ObjectStore(revision);
      state.restoreSkipped(header.path("skipped").asLong());
      long expected = header.path("objects").asLong();
      long count = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        byte[] json = line.getBytes(StandardCharsets.UTF_8);
        ObjectNode object = Json.parseObject(json);
        long objectRevision =
            Long.parseLong(object.path("metadata").path("resourceVersion").asText());
        state.put(ChangeFold.fromJson(object, json, objectRevision));
        count++;
      }
      if (count != expected) {
        throw new IOException("snapshot has " + count + " objects, header says " + expected);
      }
      return Optional.of(state);
    }
  }

  private List<Path> files() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().matches("snapshot-\\d{20}\\.jsonl"))
          .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
          .toList();
    } catch (IOException e) {
      LOG.warn("cannot list snapshots in {}: {}", dir, e.toString());
      return List.of();
    }
  }

  private void prune() throws IOException {
    List<Path> files = files();
    for (int i = KEEP; i < files.size(); i++) {
      Files.deleteIfExists(files.get(i));
    }
  }
}
