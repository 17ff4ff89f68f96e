package dev.keelson.eventlog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads records at given offsets with one long-lived consumer, seeking to each run of close
 * offsets: the history of one object reads its own records, a handful among millions, in a few
 * fetches. One read at a time, on a thread of its own (a consumer is single-threaded and closes
 * cleanly only uninterrupted). Fetches are kept small, since a fetch brings whole batches around
 * the offset sought.
 */
final class PointReader implements AutoCloseable {

  /** Offsets at most this far apart are read through rather than sought. */
  static final int GAP = 16;

  private static final Duration POLL = Duration.ofMillis(100);
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final KafkaSettings settings;
  private final TopicPartition partition;
  private final String source;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread t = new Thread(runnable, "keelson-log-point-reader");
            t.setDaemon(true);
            return t;
          });
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private KafkaConsumer<String, byte[]> consumer;

  PointReader(KafkaSettings settings, TopicPartition partition, String source) {
    this.settings = settings;
    this.partition = partition;
    this.source = source;
  }

  CompletableFuture<List<LogRecord>> read(long[] offsets) {
    return CompletableFuture.supplyAsync(() -> readNow(offsets.clone()), thread);
  }

  private List<LogRecord> readNow(long[] offsets) {
    if (consumer == null) {
      consumer = open();
    }
    try {
      List<LogRecord> found = new ArrayList<>(offsets.length);
      long deadline = System.nanoTime() + TIMEOUT_NANOS;
      for (int i = 0; i < offsets.length; ) {
        int end = i + 1;
        while (end < offsets.length && offsets[end] - offsets[end - 1] <= GAP) {
          end++;
        }
        readRun(offsets, i, end, found, deadline);
        i = end;
      }
      return found;
    } catch (RuntimeException e) {
      // A consumer that failed is not trusted again: the next read opens a new one.
      consumer.close(Duration.ofSeconds(1));
      consumer = null;
      throw e;
    }
  }

  /** Reads offsets[from, end) from one seek, adding the records found to {@code found}. */
  private void readRun(long[] offsets, int from, int end, List<LogRecord> found, long deadline) {
    long stop = offsets[end - 1] + 1;
    consumer.seek(partition, offsets[from]);
    int wanted = from;
    while (wanted < end && consumer.position(partition) < stop) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "reading offset " + offsets[wanted] + " of the change log timed out");
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL).records(partition)) {
        while (wanted < end && offsets[wanted] < r.offset()) {
          wanted++; // not in the log
        }
        if (wanted < end && offsets[wanted] == r.offset()) {
          found.add(new LogRecord(r.offset(), r.key(), r.value(), r.timestamp()));
          wanted++;
        }
      }
    }
  }

  private KafkaConsumer<String, byte[]> open() {
    Map<String, Object> config =
        KafkaChangeLog.readerConfig(settings, "keelson-point-reader-" + source);
    // An offset the log does not hold fails the read instead of moving it elsewhere.
    config.put("auto.offset.reset", "none");
    config.put("max.poll.records", 500);
    // Small fetches: the broker still sends a whole batch that is larger.
    config.put("max.partition.fetch.bytes", 64 * 1024);
    config.put("fetch.max.bytes", 64 * 1024);
    KafkaConsumer<String, byte[]> opened = new KafkaConsumer<>(config);
    opened.assign(List.of(partition));
    return opened;
  }

  /**
   * Closes the consumer on its thread; a second close does nothing, as the log's may come twice.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    thread.execute(
        () -> {
          if (consumer != null) {
            consumer.close(Duration.ofSeconds(1));
            consumer = null;
          }
        });
    thread.shutdown();
  }
}
