package dev.keelson.nodeagent.runtime.simulated;

import dev.keelson.nodeagent.runtime.LogOptions;
import dev.keelson.nodeagent.runtime.simulated.SimulatedContainer.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The readers of simulated logs. A reader gets the lines there are when it asks; a following one
 * stays open until it is closed or its container ends through the runtime, and then gets the exit
 * line. Callbacks never run under the runtime's lock: the runtime hands back what to run after it.
 */
final class SimulatedLogs {

  /** Docker's fixed-width RFC 3339 time with nanoseconds. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final Map<String, Set<Reader>> following = new ConcurrentHashMap<>();

  /**
   * A reader of {@code lines}, registered when it {@code follow}s. Called under the runtime's lock;
   * the caller then runs {@link Reader#begin} outside it. The reader is locked until then, so an
   * end that comes in between waits for the first lines to go out.
   */
  Reader open(
      String id,
      List<LogLine> lines,
      LogOptions options,
      Consumer<byte[]> sink,
      Consumer<Throwable> end,
      boolean follow) {
    Reader reader = new Reader(id, select(lines, options), options, sink, end, follow);
    if (follow) {
      following.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(reader);
    }
    return reader;
  }

  /** The followers of {@code id} get {@code last} and end; run the answer outside the lock. */
  Runnable ended(String id, LogLine last) {
    Set<Reader> readers = following.remove(id);
    return readers == null ? () -> {} : () -> readers.forEach(r -> r.finish(last));
  }

  /** Ends every follower; run the answer outside the lock. */
  Runnable closeAll() {
    List<Reader> readers = new ArrayList<>();
    following.values().forEach(readers::addAll);
    following.clear();
    return () -> readers.forEach(r -> r.finish(null));
  }

  /** The lines at or after {@code since}, then the last {@code tailLines} of them. */
  static List<LogLine> select(List<LogLine> lines, LogOptions options) {
    List<LogLine> selected = new ArrayList<>();
    for (LogLine line : lines) {
      if (options.since() == null || !line.time().isBefore(options.since())) {
        selected.add(line);
      }
    }
    if (options.tailLines() != null && options.tailLines() >= 0) {
      selected =
          selected.subList(Math.max(0, selected.size() - options.tailLines()), selected.size());
    }
    return selected;
  }

  static byte[] format(LogLine line, boolean timestamps) {
    String text = (timestamps ? TIMESTAMP.format(line.time()) + " " : "") + line.text() + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * One reader: its first lines go out once, then at most the exit line, and its end runs once. An
   * end that comes while the first lines go out waits in the reader, so no thread that stops a
   * container waits for a slow reader of its log.
   */
  final class Reader implements AutoCloseable {
    private final String id;
    private final List<LogLine> first;
    private final LogOptions options;
    private final Consumer<byte[]> sink;
    private final Consumer<Throwable> end;
    private final boolean follow;
    private boolean beginning = true;
    private boolean ending;
    private LogLine last;

    private Reader(
        String id,
        List<LogLine> first,
        LogOptions options,
        Consumer<byte[]> sink,
        Consumer<Throwable> end,
        boolean follow) {
      this.id = id;
      this.first = List.copyOf(first);
      this.options = options;
      this.sink = sink;
      this.end = end;
      this.follow = follow;
    }

    /** Sends the first lines, and ends unless following. Runs on the thread that opened it. */
    Reader begin() {
      first.forEach(line -> sink.accept(format(line, options.timestamps())));
      boolean endNow;
      synchronized (this) {
        beginning = false;
        endNow = ending || !follow;
        ending = endNow;
      }
      if (endNow) {
        send(last);
      }
      return this;
    }

    /** Ends it with {@code line} (or none): now, or once its first lines have gone out. */
    void finish(LogLine line) {
      synchronized (this) {
        if (ending) {
          return;
        }
        ending = true;
        last = line;
        if (beginning) {
          return;
        }
      }
      send(line);
    }

    private void send(LogLine line) {
      if (line != null && (options.since() == null || !line.time().isBefore(options.since()))) {
        sink.accept(format(line, options.timestamps()));
      }
      end.accept(null);
    }

    @Override
    public void close() {
      following.computeIfPresent(
          id,
          (k, readers) -> {
            readers.remove(this);
            return readers.isEmpty() ? null : readers;
          });
      finish(null);
    }
  }
}
