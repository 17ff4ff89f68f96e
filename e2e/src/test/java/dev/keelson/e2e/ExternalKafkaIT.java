package dev.keelson.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.broker.EmbeddedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./keelson up --kafka}: an external cluster, checked before it is trusted with history. */
class ExternalKafkaIT {

  @Test
  void refusesAHistoryLosingChangeLogThenRunsOnTheFixedOne(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka external = EmbeddedKafka.start(dir.resolve("external"), "127.0.0.1", 0);
        Admin admin = Admin.create(Map.of("bootstrap.servers", external.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("keelson.changes", 1, (short) 1)
                      .configs(Map.of("retention.ms", "86400000"))))
          .all()
          .get(30, TimeUnit.SECONDS);
      int healthPort = KeelsonProcess.freePort();
      String[] args = {
        "up",
        "--data-dir",
        dir.resolve("keelson").toString(),
        "--kafka",
        external.bootstrapServers(),
        "--health-listen",
        "127.0.0.1:" + healthPort,
        "--listen",
        "127.0.0.1:" + KeelsonProcess.freePort()
      };
      try (KeelsonProcess refused = KeelsonProcess.start(args)) {
        assertThat(refused.awaitExit(Duration.ofMinutes(2))).isNotNull().isNotZero();
        assertThat(refused.output())
            .contains("refusing to start: topic keelson.changes has retention.ms=86400000")
            .doesNotContain("\tat ");
      }

      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.TOPIC, "keelson.changes"),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("retention.ms", "-1"), AlterConfigOp.OpType.SET),
                      new AlterConfigOp(
                          new ConfigEntry("max.message.bytes", "4194304"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
      try (KeelsonProcess keelson = KeelsonProcess.start(args)) {
        assertThat(keelson.awaitLine("Stop with Ctrl-C.", Duration.ofMinutes(3)))
            .as(keelson.output())
            .isTrue();
        assertThat(keelson.output()).contains(external.bootstrapServers() + " (external)");
        HttpResponse<String> ready =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/readyz"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .contains("keelson.heartbeats", "keelson.metrics", "keelson.cluster-events");
        assertThat(keelson.terminate(Duration.ofSeconds(10))).isNotNull();
      }
    }
  }
}
