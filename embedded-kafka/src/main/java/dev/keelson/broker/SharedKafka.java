package dev.keelson.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One embedded broker for a whole JVM of tests or benchmarks, started on first use in a temporary
 * directory and stopped (and its directory removed) when the JVM exits. Each user keeps to its own
 * topic names, so users never see each other's records.
 */
public final class SharedKafka {

  private static EmbeddedKafka broker;

  private SharedKafka() {}

  public static synchronized String bootstrapServers() {
    if (broker == null) {
      try {
        Path dir = Files.createTempDirectory("keelson-kafka-");
        broker = EmbeddedKafka.start(dir, "127.0.0.1", 0);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      broker.close();
                      deleteRecursively(dir);
                    },
                    "keelson-shared-kafka-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return broker.bootstrapServers();
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }
}
