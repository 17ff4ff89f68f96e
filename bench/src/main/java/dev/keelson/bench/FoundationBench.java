package dev.keelson.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.change.Actor;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.bench.agent.AgentBench;
import dev.keelson.bench.api.ApiWriteBench;
import dev.keelson.bench.history.HistoryBench;
import dev.keelson.bench.proxy.ProxyBench;
import dev.keelson.bench.scheduler.SchedulerBench;
import dev.keelson.broker.EmbeddedKafka;
import dev.keelson.eventlog.EnvelopeCodec;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The foundation benchmark: acknowledged writes through the write path, the raw Kafka producer for
 * the same record size as the ceiling, and projection replay of a long log, all against one
 * embedded broker in one run.
 */
@Command(
    name = "bench/run",
    mixinStandardHelpOptions = true,
    description = "Without a subcommand: the foundation benchmark.",
    subcommands = {
      ApiWriteBench.class,
      AgentBench.class,
      SchedulerBench.class,
      ProxyBench.class,
      HistoryBench.class
    })
public final class FoundationBench implements Callable<Integer> {

  @Option(
      names = "--object-bytes",
      defaultValue = "1024",
      description = "Object size (default ${DEFAULT-VALUE}).")
  int objectBytes;

  @Option(
      names = "--writes",
      defaultValue = "40000",
      description = "Writes per write-path run (default ${DEFAULT-VALUE}).")
  int writes;

  @Option(
      names = "--raw-records",
      defaultValue = "200000",
      description = "Records for the producer ceiling (default ${DEFAULT-VALUE}).")
  int rawRecords;

  @Option(
      names = "--replay-records",
      defaultValue = "1000000",
      description = "Records in the replayed log (default ${DEFAULT-VALUE}).")
  int replayRecords;

  @Option(
      names = "--replay-objects",
      defaultValue = "100000",
      description = "Distinct objects in the replayed log (default ${DEFAULT-VALUE}).")
  int replayObjects;

  private final List<String[]> rows = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new FoundationBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("keelson-bench-");
    System.out.printf(
        "Keelson foundation benchmark: %d-byte objects, %d cores, max heap %d MiB%n",
        objectBytes,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, "127.0.0.1", 0)) {
      rawProducer(kafka.bootstrapServers());
      writePath(kafka.bootstrapServers(), 16, false);
      writePath(kafka.bootstrapServers(), 256, true);
      replay(kafka.bootstrapServers());
    } finally {
      deleteRecursively(dir);
    }
    printTable();
    return 0;
  }

  private KafkaSettings freshTopics(String bootstrap, String name) {
    KafkaSettings settings = KafkaSettings.of(bootstrap, Topics.prefixed("bench-" + name + "."));
    TopicSetup.ensure(settings);
    return settings;
  }

  /** The ceiling: the same producer settings as the change log, no verdicts. */
  private void rawProducer(String bootstrap) throws Exception {
    KafkaSettings settings = freshTopics(bootstrap, "raw");
    byte[] value = EnvelopeCodec.encode(envelope(0, 0));
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      CountDownLatch done = new CountDownLatch(rawRecords);
      long start = System.nanoTime();
      for (int i = 0; i < rawRecords; i++) {
        producer.send(
            new ProducerRecord<>(settings.topics().changes(), "k" + (i % 1000), value),
            (m, e) -> {
              if (e != null) failure.set(e);
              else acked.incrementAndGet();
              done.countDown();
            });
      }
      done.await();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (failure.get() != null) throw failure.get();
      rows.add(
          new String[] {
            "raw Kafka producer (ceiling), acks=all, idempotent",
            String.format("%,.0f records/s", acked.get() / seconds),
            "-",
            "-",
            String.format("%,d records", rawRecords)
          });
    }
  }

  /**
   * Acknowledged writes: create then update 1 KiB objects, each answer the projection's verdict.
   */
  private void writePath(String bootstrap, int concurrency, boolean async) throws Exception {
    KafkaSettings settings = freshTopics(bootstrap, "write-" + concurrency);
    WriteContext context = WriteContext.of(new Actor("bench", List.of()));
    try (KafkaChangeLog log = KafkaChangeLog.open(settings, "bench");
        LogProjection projection = LogProjection.start(log, ProjectionOptions.defaults())) {
      WritePath path = new WritePath(log, projection, Clock.systemUTC());
      // Warm-up.
      for (int i = 0; i < 2000; i++) {
        path.create(object("warm-" + i, 0), context).get();
      }
      long[] latencies = new long[writes];
      AtomicLong next = new AtomicLong();
      AtomicLong rejected = new AtomicLong();
      Semaphore inFlight = new Semaphore(concurrency);
      CountDownLatch done = new CountDownLatch(writes);
      long start = System.nanoTime();
      Runnable issue = () -> {};
      if (async) {
        for (int i = 0; i < writes; i++) {
          inFlight.acquire();
          int n = i;
          long t0 = System.nanoTime();
          path.create(object("obj-" + n, n), context)
              .whenComplete(
                  (r, e) -> {
                    latencies[n] = System.nanoTime() - t0;
                    if (e != null || !(r instanceof WriteResult.Accepted))
                      rejected.incrementAndGet();
                    inFlight.release();
                    done.countDown();
                  });
        }
      } else {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
          Thread thread =
              new Thread(
                  () -> {
                    for (long n = next.getAndIncrement(); n < writes; n = next.getAndIncrement()) {
                      long t0 = System.nanoTime();
                      try {
                        WriteResult r = path.create(object("obj-" + n, (int) n), context).get();
                        if (!(r instanceof WriteResult.Accepted)) rejected.incrementAndGet();
                      } catch (Exception e) {
                        rejected.incrementAndGet();
                      }
                      latencies[(int) n] = System.nanoTime() - t0;
                      done.countDown();
                    }
                  });
          thread.start();
          threads.add(thread);
        }
      }
      done.await(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      Arrays.sort(latencies);
      rows.add(
          new String[] {
            String.format(
                "write path, %d %s, verdicts awaited",
                concurrency, async ? "writes in flight" : "writer threads"),
            String.format("%,.0f writes/s", writes / seconds),
            ms(latencies[writes / 2]),
            ms(latencies[(int) (writes * 0.99)]),
            String.format("%,d creates, %d not accepted", writes, rejected.get())
          });
    }
  }

  /** Replay: the time a fresh projection takes to fold a long log. */
  private void replay(String bootstrap) throws Exception {
    KafkaSettings settings = freshTopics(bootstrap, "replay");
    long fillStart = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      AtomicReference<Exception> failure = new AtomicReference<>();
      for (int i = 0; i < replayRecords; i++) {
        ChangeEnvelope envelope = envelope(i % replayObjects, i);
        producer.send(
            new ProducerRecord<>(
                settings.topics().changes(),
                envelope.key().toString(),
                EnvelopeCodec.encode(envelope)),
            (m, e) -> {
              if (e != null) failure.set(e);
            });
      }
      producer.flush();
      if (failure.get() != null) throw failure.get();
    }
    double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
    System.gc();
    try (KafkaChangeLog log = KafkaChangeLog.open(settings, "bench")) {
      long end = log.endOffset().get();
      long readStart = System.nanoTime();
      long read = log.readBatches(0, end).map(List::size).reduce(0, Integer::sum).block();
      double readSeconds = (System.nanoTime() - readStart) / 1e9;
      rows.add(
          new String[] {
            String.format("raw change-log read (ceiling), %,d records", read),
            String.format("%,.0f records/s", read / readSeconds),
            "-",
            "-",
            String.format("%.1f s, records not decoded", readSeconds)
          });
      long start = System.nanoTime();
      try (LogProjection projection = LogProjection.start(log, ProjectionOptions.defaults())) {
        projection.awaitRevision(end).get(30, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        rows.add(
            new String[] {
              String.format("projection replay, %,d records of %,d objects", end, replayObjects),
              String.format("%,.0f records/s", end / seconds),
              "-",
              "-",
              String.format(
                  "%.1f s (log written in %.1f s), %,d objects held",
                  seconds, fillSeconds, projection.all().items().size())
            });
      }
    }
  }

  private ChangeEnvelope envelope(int object, int version) {
    Op op = version < replayObjects ? Op.CREATE : Op.UPDATE;
    return new ChangeEnvelope(
        op,
        op == Op.CREATE ? Precondition.mustBeAbsent() : Precondition.none(),
        object("obj-" + object, version),
        new Actor("bench", List.of()),
        "bench-" + version,
        Instant.now());
  }

  /** A ConfigMap whose JSON is about {@code objectBytes} long. */
  private ObjectNode object(String name, int version) {
    ObjectNode object = Json.object();
    object.put("apiVersion", "v1");
    object.put("kind", "ConfigMap");
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", "bench");
    metadata.putObject("labels").put("app", "bench").put("shard", Integer.toString(version % 16));
    int padding = Math.max(0, objectBytes - Json.bytes(object).length - 40);
    object
        .putObject("data")
        .put("version", Integer.toString(version))
        .put("payload", "x".repeat(padding));
    return object;
  }

  /** The raw producer's settings: those of the change log's writer. */
  public static Map<String, Object> producerConfig(String bootstrap) {
    return Map.of(
        "bootstrap.servers",
        bootstrap,
        "key.serializer",
        StringSerializer.class.getName(),
        "value.serializer",
        ByteArraySerializer.class.getName(),
        "enable.idempotence",
        true,
        "acks",
        "all",
        "linger.ms",
        1,
        "batch.size",
        256 * 1024,
        "max.request.size",
        TopicSetup.MESSAGE_BYTES);
  }

  private static String ms(long nanos) {
    return String.format("%.2f ms", nanos / 1e6);
  }

  private void printTable() {
    ReportTable.print(new String[] {"measure", "throughput", "p50", "p99", "notes"}, rows);
  }

  /** Deletes a benchmark's temporary directory, as far as it can. */
  public static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // A temporary directory left behind is harmless.
    }
  }
}
