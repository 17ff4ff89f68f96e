package dev.keelson.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.junit.jupiter.api.Test;

class TopicSetupTest {

  @Test
  void aChangeLogKeptForeverInOnePartitionHasNoProblem() {
    assertThat(TopicSetup.changeLogProblems(1, config(Map.of()))).isEmpty();
  }

  @Test
  void everyHistoryLosingSettingIsNamed() {
    List<String> problems =
        TopicSetup.changeLogProblems(
            3,
            config(
                Map.of(
                    "cleanup.policy", "compact,delete",
                    "retention.ms", "604800000",
                    "retention.bytes", "1073741824",
                    "max.message.bytes", "1048588")));
    assertThat(String.join("\n", problems))
        .contains("3 partitions")
        .contains("cleanup.policy=compact,delete")
        .contains("retention.ms=604800000")
        .contains("retention.bytes=1073741824")
        .contains("max.message.bytes=1048588");
  }

  private static Config config(Map<String, String> overrides) {
    Map<String, String> values =
        new java.util.HashMap<>(
            Map.of(
                "cleanup.policy", "delete",
                "retention.ms", "-1",
                "retention.bytes", "-1",
                "max.message.bytes", Integer.toString(TopicSetup.MESSAGE_BYTES)));
    values.putAll(overrides);
    return new Config(
        values.entrySet().stream().map(e -> new ConfigEntry(e.getKey(), e.getValue())).toList());
  }
}
