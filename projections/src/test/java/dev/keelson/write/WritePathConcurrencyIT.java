package dev.keelson.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.TestLogs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Two projections (two API server replicas) and many writers racing on the same objects. */
class WritePathConcurrencyIT {

  private static final int OBJECTS = 10;
  private static final int INCREMENTS = 10_000;
  private static final int WRITERS = 16;
  private static final WriteContext CONTEXT = WriteContext.of(new Actor("tester", List.of()));

  @Test
  void racingReadModifyWriteIncrementsLoseNothing() throws Exception {
    KafkaSettings settings = TestLogs.freshSettings();
    try (KafkaChangeLog log1 = TestLogs.open(settings);
        KafkaChangeLog log2 = TestLogs.open(settings);
        LogProjection replica1 = LogProjection.start(log1, ProjectionOptions.defaults());
        LogProjection replica2 = LogProjection.start(log2, ProjectionOptions.defaults())) {
      WritePath path1 = new WritePath(log1, replica1, Clock.systemUTC());
      WritePath path2 = new WritePath(log2, replica2, Clock.systemUTC());
      for (int i = 0; i < OBJECTS; i++) {
        WriteResult created =
            path1.create(Objects.configMap("default", "counter-" + i, "count", "0"), CONTEXT).get();
        assertThat(created).isInstanceOf(WriteResult.Accepted.class);
      }

      AtomicInteger remaining = new AtomicInteger(INCREMENTS);
      Map<String, AtomicLong> successes = new ConcurrentHashMap<>();
      Map<String, ConcurrentSkipListMap<Long, Long>> versionByCount = new ConcurrentHashMap<>();
      AtomicLong conflicts = new AtomicLong();
      List<WriteResult> otherFailures = Collections.synchronizedList(new ArrayList<>());
      ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        WritePath path = w % 2 == 0 ? path1 : path2;
        Random random = new Random(w);
        done.add(
            writers.submit(
                () -> {
                  while (remaining.getAndDecrement() > 0) {
                    String name = "counter-" + random.nextInt(OBJECTS);
                    ResourceKey key = ResourceKey.of("", "ConfigMap", "default", name);
                    while (true) {
                      StoredObject current = path.projection().get(key).orElseThrow();
                      ObjectNode next = current.object();
                      long count = Long.parseLong(next.path("data").path("count").asText());
                      ((ObjectNode) next.get("data")).put("count", Long.toString(count + 1));
                      WriteResult result = path.update(next, CONTEXT).get(60, TimeUnit.SECONDS);
                      if (result instanceof WriteResult.Accepted accepted) {
                        successes.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
                        versionByCount
                            .computeIfAbsent(name, n -> new ConcurrentSkipListMap<>())
                            .put(count + 1, accepted.object().revision());
                        break;
                      }
                      if (result instanceof WriteResult.Rejected r
                          && r.reason() == Rejection.CONFLICT) {
                        conflicts.incrementAndGet();
                        continue;
                      }
                      otherFailures.add(result);
                      break;
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.MINUTES);
      }
      writers.shutdown();

      assertThat(otherFailures).as("every failed write is a conflict").isEmpty();
      assertThat(successes.values().stream().mapToLong(AtomicLong::get).sum())
          .isEqualTo(INCREMENTS);
      long end = log1.endOffset().get();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> replica1.revision() == end && replica2.revision() == end);
      for (int i = 0; i < OBJECTS; i++) {
        String name = "counter-" + i;
        StoredObject counter =
            replica1.get(ResourceKey.of("", "ConfigMap", "default", name)).orElseThrow();
        long expected = successes.getOrDefault(name, new AtomicLong()).get();
        assertThat(counter.object().path("data").path("count").asText())
            .as("counter %s equals its successful writes", name)
            .isEqualTo(Long.toString(expected));
        List<Long> versions =
            new ArrayList<>(
                versionByCount.getOrDefault(name, new ConcurrentSkipListMap<>()).values());
        assertThat(versions)
            .as("resourceVersions of %s strictly increase", name)
            .isSorted()
            .doesNotHaveDuplicates();
        assertThat(versions).hasSize((int) expected);
      }
      assertThat(replica1.all().items()).isEqualTo(replica2.all().items());
      assertThat(replica1.all().revision()).isEqualTo(replica2.all().revision()).isEqualTo(end);
      System.out.printf(
          "%d increments, %d conflicts retried, %d records in the log%n",
          INCREMENTS, conflicts.get(), end);
    }
  }
}
