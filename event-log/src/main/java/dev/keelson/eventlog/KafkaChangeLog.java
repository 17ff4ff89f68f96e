package dev.keelson.eventlog;

import dev.keelson.api.change.ChangeEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;

/**
 * The change log on a Kafka topic of one partition: appends through an idempotent producer with
 * {@code acks=all}; reads through a consumer per subscription, assigned (never subscribed, so no
 * consumer group) and positioned at the requested offset.
 */
public final class KafkaChangeLog implements ChangeLog {

  private static final Duration POLL = Duration.ofMillis(250);
  private static final ThreadFactory READER_THREADS =
      runnable -> {
        Thread thread = new Thread(runnable, "keelson-log-reader");
        thread.setDaemon(true);
        return thread;
      };

  private final KafkaSettings settings;
  private final String source;
  private final TopicPartition partition;
  private final KafkaProducer<String, byte[]> producer;
  private final Admin admin;
  private final String logId;
  private final PointReader points;

  private KafkaChangeLog(KafkaSettings settings, String topic, String source) {
    this.settings = settings;
    this.source = source;
    this.partition = new TopicPartition(topic, 0);
    this.admin = Admin.create(settings.clientConfig("keelson-admin-" + source));
    try {
      this.logId = describe().topicId().toString();
    } catch (RuntimeException e) {
      admin.close(Duration.ofSeconds(1));
      throw e;
    }
    this.producer = new KafkaProducer<>(producerConfig(settings, source));
    this.points = new PointReader(settings, partition, source);
  }

  /**
   * Opens the change log of {@code settings}. {@code source} names the writer in the CloudEvents
   * {@code ce_source} header (for example {@code apiserver}).
   */
  public static KafkaChangeLog open(KafkaSettings settings, String source) {
    return new KafkaChangeLog(settings, settings.topics().changes(), source);
  }

  /**
   * Opens the heartbeats topic as a log of the same envelopes: the node Leases of {@code
   * kube-node-lease}, renewed too often to belong in the change log. The topic is compacted, so a
   * projection of it must fold last-writer-wins.
   */
  public static KafkaChangeLog openHeartbeats(KafkaSettings settings, String source) {
    return new KafkaChangeLog(settings, settings.topics().heartbeats(), source);
  }

  /**
   * Opens the metrics topic as a log of the same envelopes: the PodMetrics and NodeMetrics of
   * {@code metrics.k8s.io} that node agents publish every few seconds, each the latest usage of its
   * pod or node. Last-writer-wins like the heartbeats, so a projection of it must fold so too.
   */
  public static KafkaChangeLog openMetrics(KafkaSettings settings, String source) {
    return new KafkaChangeLog(settings, settings.topics().metrics(), source);
  }

  /**
   * {@inheritDoc}
   *
   * <p>An envelope without a time or a request id gets them here (now, a random UUID), so that the
   * value, the record timestamp and the CloudEvents headers of every record agree, as
   * docs/topics.md promises integrators.
   */
  @Override
  public CompletableFuture<Long> append(ChangeEnvelope envelope) {
    ChangeEnvelope stamped = stamped(envelope);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            partition.topic(),
            0,
            stamped.time().toEpochMilli(),
            stamped.key().toString(),
            EnvelopeCodec.encode(stamped));
    CloudEventHeaders.add(record.headers(), stamped, "/keelson/" + source);
    CompletableFuture<Long> offset = new CompletableFuture<>();
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error != null) {
              offset.completeExceptionally(error);
            } else {
              offset.complete(metadata.offset());
            }
          });
    } catch (RuntimeException e) {
      offset.completeExceptionally(e);
    }
    return offset;
  }

  private static ChangeEnvelope stamped(ChangeEnvelope envelope) {
    if (envelope.time() != null && envelope.requestId() != null) {
      return envelope;
    }
    return new ChangeEnvelope(
        envelope.op(),
        envelope.precondition(),
        envelope.object(),
        envelope.actor(),
        envelope.requestId() == null ? UUID.randomUUID().toString() : envelope.requestId(),
        envelope.time() == null ? Instant.now() : envelope.time());
  }

  @Override
  public Flux<List<LogRecord>> readBatches(long fromOffset, long toOffset) {
    if (fromOffset < 0) {
      return Flux.error(new IllegalArgumentException("negative offset " + fromOffset));
    }
    if (fromOffset >= toOffset) {
      return Flux.empty();
    }
    return Flux.defer(
        () -> {
          Reader reader = new Reader(fromOffset, toOffset);
          // A thread of its own, never interrupted: a consumer closes cleanly only uninterrupted.
          ExecutorService thread = Executors.newSingleThreadExecutor(READER_THREADS);
          return Flux.<List<LogRecord>, Reader>generate(
                  () -> reader.open(), Reader::next, Reader::close)
              .doOnCancel(reader::cancel)
              .subscribeOn(Schedulers.fromExecutor(thread::execute))
              .doFinally(signal -> thread.shutdown());
        });
  }

  /** Reads with one long-lived consumer that seeks to each run of close offsets. */
  @Override
  public CompletableFuture<List<LogRecord>> readRecords(long[] offsets) {
    if (offsets.length == 0) {
      return CompletableFuture.completedFuture(List.of());
    }
    return points.read(offsets);
  }

  @Override
  public CompletableFuture<Long> endOffset() {
    return listOffset(OffsetSpec.latest());
  }

  @Override
  public CompletableFuture<Long> offsetForTime(Instant time) {
    return listOffset(OffsetSpec.forTimestamp(time.toEpochMilli()))
        .thenCompose(
            offset -> offset < 0 ? endOffset() : CompletableFuture.completedFuture(offset));
  }

  @Override
  public String logId() {
    return logId;
  }

  @Override
  public void close() {
    points.close();
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }

  private CompletableFuture<Long> listOffset(OffsetSpec spec) {
    return admin
        .listOffsets(Map.of(partition, spec))
        .partitionResult(partition)
        .toCompletionStage()
        .thenApply(ListOffsetsResultInfo::offset)
        .toCompletableFuture();
  }

  private TopicDescription describe() {
    try {
      return admin
          .describeTopics(List.of(partition.topic()))
          .topicNameValues()
          .get(partition.topic())
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "cannot open the change log " + partition.topic() + ": " + cause.getMessage(), e);
    }
  }

  /**
   * The settings of a consumer that reads the log by offset: assigned, never in a group, committing
   * nothing, answering a fetch as soon as a record is there.
   */
  static Map<String, Object> readerConfig(KafkaSettings settings, String clientIdPrefix) {
    Map<String, Object> config = settings.clientConfig(clientIdPrefix + "-" + UUID.randomUUID());
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", ByteArrayDeserializer.class.getName());
    config.put("enable.auto.commit", false);
    config.put("fetch.min.bytes", 1);
    config.put("fetch.max.wait.ms", 100);
    return config;
  }

  private static Map<String, Object> producerConfig(KafkaSettings settings, String source) {
    Map<String, Object> config = settings.clientConfig("keelson-writer-" + source);
    config.put("key.serializer", StringSerializer.class.getName());
    config.put("value.serializer", ByteArraySerializer.class.getName());
    config.put("enable.idempotence", true);
    config.put("acks", "all");
    config.put("linger.ms", 1);
    config.put("max.request.size", TopicSetup.MESSAGE_BYTES);
    config.put("batch.size", 256 * 1024);
    return config;
  }

  /** One subscription's consumer; used by one thread at a time, as Flux.generate guarantees. */
  private final class Reader {
    private final long from;
    private final long to;
    private KafkaConsumer<String, byte[]> consumer;
    private volatile boolean cancelled;

    Reader(long from, long to) {
      this.from = from;
      this.to = to;
    }

    Reader open() {
      Map<String, Object> config = readerConfig(settings, "keelson-reader-" + source);
      config.put("auto.offset.reset", "earliest");
      config.put("max.poll.records", 5000);
      config.put("max.partition.fetch.bytes", 8 * 1024 * 1024);
      consumer = new KafkaConsumer<>(config);
      consumer.assign(List.of(partition));
      consumer.seek(partition, from);
      return this;
    }

    Reader next(SynchronousSink<List<LogRecord>> sink) {
      try {
        while (!cancelled) {
          if (consumer.position(partition) >= to) {
            sink.complete();
            return this;
          }
          ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
          if (records.isEmpty()) {
            continue;
          }
          List<LogRecord> batch = new ArrayList<>(records.count());
          for (ConsumerRecord<String, byte[]> r : records.records(partition)) {
            if (r.offset() >= to) {
              break;
            }
            batch.add(new LogRecord(r.offset(), r.key(), r.value(), r.timestamp()));
          }
          if (!batch.isEmpty()) {
            sink.next(batch);
            return this;
          }
        }
        sink.complete();
      } catch (WakeupException e) {
        sink.complete();
      } catch (RuntimeException e) {
        sink.error(e);
      }
      return this;
    }

    void cancel() {
      cancelled = true;
      if (consumer != null) {
        consumer.wakeup();
      }
    }

    void close() {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(1));
      }
    }
  }
}
