package dev.keelson.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.api.change.Actor;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.TestLogs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DuplicateCreateIT {

  @Test
  void concurrentCreatesOfOneNameHaveExactlyOneWinner() throws Exception {
    KafkaSettings settings = TestLogs.freshSettings();
    try (KafkaChangeLog log1 = TestLogs.open(settings);
        KafkaChangeLog log2 = TestLogs.open(settings);
        LogProjection replica1 = LogProjection.start(log1, ProjectionOptions.defaults());
        LogProjection replica2 = LogProjection.start(log2, ProjectionOptions.defaults())) {
      WritePath[] paths = {
        new WritePath(log1, replica1, Clock.systemUTC()),
        new WritePath(log2, replica2, Clock.systemUTC())
      };
      List<CompletableFuture<WriteResult>> results = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int attempt = 0; attempt < 20; attempt++) {
        for (int n = 0; n < 100; n++) {
          String name = "dup-" + n;
          names.add(name);
          results.add(
              paths[attempt % 2].create(
                  Objects.configMap("default", name, "attempt", Integer.toString(attempt)),
                  WriteContext.of(new Actor("writer-" + attempt, List.of()))));
        }
      }
      Map<String, List<WriteResult>> byName = new java.util.HashMap<>();
      for (int i = 0; i < results.size(); i++) {
        byName
            .computeIfAbsent(names.get(i), k -> new ArrayList<>())
            .add(results.get(i).get(60, TimeUnit.SECONDS));
      }
      assertThat(byName).hasSize(100);
      byName.forEach(
          (name, answers) -> {
            Map<Boolean, List<WriteResult>> split =
                answers.stream()
                    .collect(Collectors.partitioningBy(r -> r instanceof WriteResult.Accepted));
            assertThat(split.get(true)).as("winners for %s", name).hasSize(1);
            assertThat(split.get(false)).hasSize(19);
            assertThat(split.get(false))
                .allSatisfy(
                    r ->
                        assertThat(((WriteResult.Rejected) r).reason())
                            .isEqualTo(Rejection.ALREADY_EXISTS));
          });
    }
  }
}
