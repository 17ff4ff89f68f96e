package dev.keelson.examples.deploymentimages;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows keelson.changes into a {@link DeploymentImages} view kept in a {@link ViewFile}: each
 * batch is folded, then the view and the next offset are saved in one atomic write, and only then
 * is the offset committed to Kafka (where it serves to watch the lag). On start the follower seeks
 * to the offset saved with the view, not to the committed one, which may lag behind it: a restart
 * after a crash at any point counts every change once, with no gap.
 */
public final class DeploymentImagesFollower implements AutoCloseable {

  private final ViewFile file;
  private final TopicPartition partition;
  private final KafkaConsumer<String, byte[]> consumer;
  private final DeploymentImages view;

  /**
   * Opens the view saved in {@code file} (or an empty one) and positions a consumer after it.
   *
   * @param kafka consumer properties: at least {@code bootstrap.servers} and {@code group.id}
   */
  public DeploymentImagesFollower(Map<String, Object> kafka, String topic, ViewFile file) {
    this.file = file;
    this.partition = new TopicPartition(topic, 0); // keelson.changes has exactly one partition
    DeploymentImages.State saved = file.load().orElse(DeploymentImages.State.empty(topic));
    if (!saved.topic().equals(topic)) {
      throw new IllegalStateException(
          file.path() + " holds a view of " + saved.topic() + ", not of " + topic);
    }
    this.view = new DeploymentImages(saved);
    Map<String, Object> config = new HashMap<>(kafka);
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", ByteArrayDeserializer.class.getName());
    config.put("enable.auto.commit", false); // a commit must never run ahead of the saved view
    this.consumer = new KafkaConsumer<>(config);
    try {
      consumer.assign(List.of(partition));
      long end = endOffset();
      if (view.nextOffset() > end) {
        throw new IllegalStateException(
            file.path()
                + " has counted "
                + view.nextOffset()
                + " records but "
                + topic
                + " holds "
                + end
                + ": it is a view of another log; delete it to start over");
      }
      consumer.seek(partition, view.nextOffset());
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  /**
   * Polls once and counts what came: folds the batch, saves the view with the next offset, then
   * commits that offset. Returns the number of records counted.
   */
  public int poll(Duration timeout) {
    ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
    if (records.isEmpty()) {
      return 0;
    }
    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
      view.apply(record.offset(), record.key(), record.value(), record.timestamp());
    }
    file.save(view.state());
    consumer.commitSync(Map.of(partition, new OffsetAndMetadata(view.nextOffset())));
    return records.count();
  }

  /** Polls until every record the topic held when called is counted, or the timeout passes. */
  public void catchUp(Duration timeout) {
    long end = endOffset();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (consumer.position(partition) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "not caught up within " + timeout + ": at " + view.nextOffset() + " of " + end);
      }
      poll(Duration.ofMillis(500));
    }
  }

  /** The offset after the last record of the topic. */
  public long endOffset() {
    return consumer.endOffsets(List.of(partition)).get(partition);
  }

  public DeploymentImages.State view() {
    return view.state();
  }

  /** Makes a {@link #poll} blocked in another thread return at once, with a WakeupException. */
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
