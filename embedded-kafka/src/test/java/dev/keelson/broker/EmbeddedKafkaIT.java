package dev.keelson.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

  @Test
  void keepsTopicsAndClusterIdAcrossRestarts(@TempDir Path dir) throws Exception {
    String clusterId;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, "127.0.0.1", 0);
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic("kept", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    }
    assertThat(Files.readString(dir.resolve("cluster.id")).trim()).isEqualTo(clusterId);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, "127.0.0.1", 0);
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
          .isEqualTo(clusterId);
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
    }
  }
}
