package dev.keelson.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of a projection's state at a revision, as files of JSON lines: a header, then one
 * object per line, then (when the state keeps one) one line per key of the history index. A
 * snapshot is a cache: it names the log it belongs to, is written to a temporary file and renamed
 * into place, and any snapshot that cannot be read, or lacks the history index its reader keeps, is
 * ignored, so deleting snapshots loses nothing but replay time.
 */
final class SnapshotStore {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

  /** 2: with the history index (format 1 had none, and is replayed from the log instead). */
  private static final int FORMAT = 2;

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
    HistoryIndex history = state.history();
    header.put("history", history != null);
    header.put("historyKeys", history == null ? 0 : history.keys());
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
      out.write(Json.bytes(header));
      out.write('\n');
      for (StoredObject object : objects) {
        out.write(object.json());
        out.write('\n');
      }
      if (history != null) {
        writeHistory(history, out);
      }
    }
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    prune();
    return target;
  }

  private static void writeHistory(HistoryIndex history, OutputStream out) throws IOException {
    history.forEach(
        key -> {
          ObjectNode line = Json.object();
          line.put("key", key.key().toString());
          ArrayNode changes = line.putArray("changes");
          for (long entry : key.entries()) {
            changes.add(entry);
          }
          if (!key.messages().isEmpty()) {
            ObjectNode messages = line.putObject("messages");
            key.messages().forEach((revision, text) -> messages.put(revision.toString(), text));
          }
          if (!key.uids().isEmpty()) {
            ObjectNode uids = line.putObject("uids");
            key.uids().forEach(uids::put);
          }
          out.write(Json.bytes(line));
          out.write('\n');
        });
  }

  /**
   * The newest readable snapshot of {@code logId} at or before {@code maxRevision}, with its
   * history index.
   */
  Optional<ObjectStore> latest(String logId, long maxRevision) {
    return latest(logId, maxRevision, true);
  }

  /**
   * The newest readable snapshot of {@code logId} at or before {@code maxRevision}; with {@code
   * history}, only one that carries the history index, which it loads.
   */
  Optional<ObjectStore> latest(String logId, long maxRevision, boolean history) {
    for (Path file : files()) {
      try {
        Optional<ObjectStore> state = read(file, logId, maxRevision, history);
        if (state.isPresent()) {
          return state;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("ignoring snapshot {} that cannot be read: {}", file, e.toString());
      }
    }
    return Optional.empty();
  }

  private Optional<ObjectStore> read(Path file, String logId, long maxRevision, boolean history)
      throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonNode header = Json.mapper().readTree(in.readLine());
      long revision = header.path("revision").asLong(-1);
      if (header.path("format").asInt() != FORMAT
          || !logId.equals(header.path("logId").asText())
          || revision < 0
          || revision > maxRevision
          || history && !header.path("history").asBoolean()) {
        return Optional.empty();
      }
      ObjectStore state =
          history ? new ObjectStore(revision) : ObjectStore.withoutHistory(revision);
      state.restoreSkipped(header.path("skipped").asLong());
      long expected = header.path("objects").asLong();
      for (long count = 0; count < expected; count++) {
        byte[] json = line(in, count, expected, "objects").getBytes(StandardCharsets.UTF_8);
        ObjectNode object = Json.parseObject(json);
        long objectRevision =
            Long.parseLong(object.path("metadata").path("resourceVersion").asText());
        state.put(ChangeFold.fromJson(object, json, objectRevision));
      }
      if (history) {
        long keys = header.path("historyKeys").asLong();
        for (long count = 0; count < keys; count++) {
          state.history().restore(keyHistory(line(in, count, keys, "history keys")));
        }
        if (in.readLine() != null) {
          throw new IOException("snapshot has more lines than its header says");
        }
      }
      return Optional.of(state);
    }
  }

  private static String line(BufferedReader in, long count, long expected, String what)
      throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException("snapshot has " + count + " " + what + ", header says " + expected);
    }
    return line;
  }

  private static HistoryIndex.KeyHistory keyHistory(String text) {
    ObjectNode line = Json.parseObject(text);
    JsonNode changes = line.path("changes");
    long[] entries = new long[changes.size()];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = changes.get(i).asLong();
    }
    Map<Long, String> messages = new HashMap<>();
    line.path("messages")
        .fields()
        .forEachRemaining(e -> messages.put(Long.parseLong(e.getKey()), e.getValue().asText()));
    Map<String, Long> uids = new HashMap<>();
    line.path("uids").fields().forEachRemaining(e -> uids.put(e.getKey(), e.getValue().asLong()));
    return new HistoryIndex.KeyHistory(
        ResourceKey.parse(line.path("key").asText()), entries, messages, uids);
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
