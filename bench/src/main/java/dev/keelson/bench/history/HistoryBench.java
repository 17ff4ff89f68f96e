package dev.keelson.bench.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.bench.FoundationBench;
import dev.keelson.bench.ReportTable;
import dev.keelson.broker.EmbeddedKafka;
import dev.keelson.eventlog.EnvelopeCodec;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import dev.keelson.history.ChangeHistory;
import dev.keelson.history.HistoryEntry;
import dev.keelson.projection.HistoryQuery;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The history benchmark: a long log of which one object owns a handful of records, and the time the
 * history of that object takes to read, by key and by uid, against the goal of one second; the
 * index's cost beside it (replay time and heap, with and without the index).
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "Times the history of one object in a log of --records records, most of them other"
            + " objects' (written with the raw producer).")
public final class HistoryBench implements Callable<Integer> {

  @Option(
      names = "--records",
      defaultValue = "1000000",
      description = "Records in the log (default ${DEFAULT-VALUE}).")
  int records;

  @Option(
      names = "--objects",
      defaultValue = "100000",
      description = "Distinct other objects (default ${DEFAULT-VALUE}).")
  int objects;

  @Option(
      names = "--object-records",
      defaultValue = "20",
      description =
          "Records of the object whose history is read, spread over the log, one of them a"
              + " rejected conflict (default ${DEFAULT-VALUE}).")
  int objectRecords;

  @Option(
      names = "--object-bytes",
      defaultValue = "1024",
      description = "Size of every object (default ${DEFAULT-VALUE}).")
  int objectBytes;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Timed reads of the history after the first (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--skip-comparison",
      description = "Leave out the replay without the index (its time and heap).")
  boolean skipComparison;

  private static final ResourceKey WEB = ResourceKey.of("apps", "Deployment", "bench", "web");
  private static final String WEB_UID = "00000000-0000-0000-0000-00000000beef";

  private final List<String[]> rows = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("keelson-bench-history-");
    System.out.printf(
        "Keelson history benchmark: %,d records, %,d other objects, %d records of the one read,"
            + " %d-byte objects, %d cores, max heap %d MiB%n",
        records,
        objects,
        objectRecords,
        objectBytes,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, "127.0.0.1", 0)) {
      KafkaSettings settings =
          KafkaSettings.of(kafka.bootstrapServers(), Topics.prefixed("bench-history."));
      TopicSetup.ensure(settings);
      long fillStart = System.nanoTime();
      fill(kafka.bootstrapServers(), settings.topics().changes());
      System.out.printf("log written in %.1f s%n", (System.nanoTime() - fillStart) / 1e9);
      try (KafkaChangeLog log = KafkaChangeLog.open(settings, "bench")) {
        long end = log.endOffset().get();
        if (!skipComparison) {
          replay(log, end, ProjectionOptions.defaults().withoutHistory(), "without the index")
              .close();
        }
        try (LogProjection projection =
            replay(log, end, ProjectionOptions.defaults(), "with the history index")) {
          LogProjection.HistorySize size = projection.historySize();
          rows.add(
              new String[] {
                "history index",
                String.format(
                    "%,d keys, %,d records, %,d uids", size.keys(), size.records(), size.uids()),
                "-"
              });
          ChangeHistory history = new ChangeHistory(log, projection);
          time(history, new HistoryQuery.OfKey(WEB), "history of one object by key");
          time(history, new HistoryQuery.OfUid(WEB_UID), "history of one object by uid");
          time(
              history,
              new HistoryQuery.InScope(
                  ResourceKey.of("", "ConfigMap", "bench", "x").groupKind(), "bench"),
              "first page (500) of a kind in a namespace");
        }
      }
    } finally {
      FoundationBench.deleteRecursively(dir);
    }
    printTable();
    return 0;
  }

  /** The log: other objects' creates and updates, with the object's records spread among them. */
  private void fill(String bootstrap, String topic) throws Exception {
    long every = Math.max(1, records / objectRecords);
    int written = 0;
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(FoundationBench.producerConfig(bootstrap))) {
      for (int i = 0; i < records; i++) {
        ChangeEnvelope envelope;
        if (i % every == every / 2 && written < objectRecords) {
          envelope = webChange(written++);
        } else {
          envelope = other(i % objects, i < objects);
        }
        producer.send(
            new ProducerRecord<>(topic, envelope.key().toString(), EnvelopeCodec.encode(envelope)),
            (m, e) -> {
              if (e != null) failure.set(e);
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** The n-th record of web: its create, then scalings, one of them on a stale version. */
  private ChangeEnvelope webChange(int n) {
    ObjectNode object = Json.object();
    object.put("apiVersion", "apps/v1");
    object.put("kind", "Deployment");
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", WEB.name());
    metadata.put("namespace", WEB.namespace());
    metadata.put("uid", WEB_UID);
    object.putObject("spec").put("replicas", n + 1);
    Op op = n == 0 ? Op.CREATE : Op.UPDATE;
    Precondition precondition =
        n == 0
            ? Precondition.mustBeAbsent()
            : n == objectRecords / 2 ? Precondition.atVersion("1") : Precondition.none();
    return new ChangeEnvelope(
        op, precondition, object, new Actor("alice", List.of()), "web-" + n, Instant.now());
  }

  private ChangeEnvelope other(int n, boolean create) {
    ObjectNode object = Json.object();
    object.put("apiVersion", "v1");
    object.put("kind", "ConfigMap");
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", "obj-" + n);
    metadata.put("namespace", "bench");
    int padding = Math.max(0, objectBytes - Json.bytes(object).length - 40);
    object.putObject("data").put("payload", "x".repeat(padding));
    return new ChangeEnvelope(
        create ? Op.CREATE : Op.UPDATE,
        create ? Precondition.mustBeAbsent() : Precondition.none(),
        object,
        new Actor("bench", List.of()),
        "other-" + n,
        Instant.now());
  }

  private LogProjection replay(KafkaChangeLog log, long end, ProjectionOptions options, String what)
      throws Exception {
    long heapBefore = usedHeap();
    long start = System.nanoTime();
    LogProjection projection = LogProjection.start(log, options);
    projection.awaitRevision(end).get(30, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    long heap = usedHeap() - heapBefore;
    rows.add(
        new String[] {
          "projection replay, " + what,
          String.format("%.1f s (%,.0f records/s)", seconds, end / seconds),
          String.format("%,d MiB of heap held", heap >> 20)
        });
    return projection;
  }

  private void time(ChangeHistory history, HistoryQuery.Subject subject, String what)
      throws Exception {
    HistoryQuery query = new HistoryQuery(subject, 1, Long.MAX_VALUE, 500);
    long start = System.nanoTime();
    HistoryEntry.Page first = history.read(query).get(1, TimeUnit.MINUTES);
    long firstNanos = System.nanoTime() - start;
    long[] nanos = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      history.read(query).get(1, TimeUnit.MINUTES);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    long rejected = first.entries().stream().filter(e -> !e.applied()).count();
    rows.add(
        new String[] {
          what,
          String.format(
              "first %.1f ms, then median %.1f ms, max %.1f ms",
              firstNanos / 1e6, nanos[nanos.length / 2] / 1e6, nanos[nanos.length - 1] / 1e6),
          String.format("%d records (%d rejected)", first.entries().size(), rejected)
        });
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private void printTable() {
    ReportTable.print(new String[] {"measure", "figure", "notes"}, rows);
  }
}
