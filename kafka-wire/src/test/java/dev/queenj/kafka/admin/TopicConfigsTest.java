package dev.queenj.kafka.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.Test;

class TopicConfigsTest {

  @Test
  void configsAreValidatedAsKafkaDoesAndStoredTrimmed() {
    assertThat(TopicConfigs.toStore(Map.of("retention.ms", " 1000 ", "cleanup.policy", "compact, delete",
        "min.insync.replicas", "2", "segment.bytes", "52428800"))).containsExactly(
        Map.entry("cleanup.policy", "compact, delete"), Map.entry("min.insync.replicas", "2"),
        Map.entry("retention.ms", "1000"), Map.entry("segment.bytes", "52428800"));

    Map<Map<String, String>, String> refused = Map.ofEntries(
        Map.entry(Map.of("cleanup.policy", "compact,shred"), "a non-empty list of compact, delete"),
        Map.entry(Map.of("cleanup.policy", " "), "a non-empty list of compact, delete"),
        Map.entry(Map.of("retention.ms", "-2"), "a long at least -1"),
        Map.entry(Map.of("max.message.bytes", "big"), "an int at least 0"),
        Map.entry(Map.of("segment.bytes", "1024"), "an int at least 1048576"),
        Map.entry(Map.of("min.cleanable.dirty.ratio", "1.5"), "a double between 0.0 and 1.0"),
        Map.entry(Map.of("preallocate", "yes"), "one of true, false"),
        Map.entry(Map.of("message.timestamp.type", "LogAppendTime"), "LogAppendTime is not supported"),
        Map.entry(Map.of("remote.storage.enable", "true"), "tiered storage is not supported"),
        Map.entry(Map.of("leader.replication.throttled.replicas", "0:x"), "partition:broker pairs"),
        Map.entry(Map.of("log.segment.bytes", "1"), "Unknown or unsupported topic config"));
    refused.forEach((configs, message) -> assertThatThrownBy(() -> TopicConfigs.toStore(configs)).as("%s", configs)
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(message));
  }

  @Test
  void theConfigsKafkaStreamsAndConnectSetAtCreationAreAccepted() {
    // Kafka Streams 4.1's changelog and repartition topic defaults, and a windowed changelog
    Map<String, String> streams = Map.of("cleanup.policy", "compact,delete", "segment.bytes", "52428800",
        "message.timestamp.type", "CreateTime", "retention.ms", "86400000", "min.compaction.lag.ms", "0");
    // Connect's config, offset and status topics (TopicAdmin compacted()), and the flush settings tools pass
    Map<String, String> connect = Map.of("cleanup.policy", "compact", "min.insync.replicas", "1",
        "unclean.leader.election.enable", "false", "flush.ms", "1000", "flush.messages", "1");

    assertThat(TopicConfigs.toStore(streams)).isEqualTo(streams);
    assertThat(TopicConfigs.toStore(connect)).isEqualTo(connect);
  }

  @Test
  void changesApplyInOrderAndListsAppendWithoutDuplicates() {
    Map<String, String> altered = TopicConfigs.alter(Map.of("retention.ms", "1000"), List.of(
        new ConfigChange("max.message.bytes", OpType.SET, "10"),
        new ConfigChange("max.message.bytes", OpType.SET, "20"),
        new ConfigChange("retention.ms", OpType.DELETE, null),
        new ConfigChange("cleanup.policy", OpType.APPEND, "delete"),
        new ConfigChange("cleanup.policy", OpType.APPEND, "compact,delete")));

    assertThat(altered).containsExactly(Map.entry("cleanup.policy", "delete,compact"),
        Map.entry("max.message.bytes", "20"));
    assertThatThrownBy(() -> TopicConfigs.alter(Map.of(), List.of(
        new ConfigChange("cleanup.policy", OpType.SUBTRACT, "delete"))))
        .isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> TopicConfigs.alter(Map.of(), List.of(
        new ConfigChange("retention.ms", OpType.APPEND, "1"))))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("not a list");
  }

  @Test
  void everySupportedConfigIsDescribedWithItsSource() {
    List<ConfigValue> values = TopicConfigs.of(Map.of("retention.ms", "1000"));

    assertThat(values).hasSize(TopicConfigs.DEFINITIONS.size());
    assertThat(values).filteredOn(value -> value.name().equals("retention.ms")).singleElement()
        .satisfies(value -> assertThat(value.source()).isEqualTo(ConfigSource.TOPIC_CONFIG));
    assertThat(values).filteredOn(value -> !value.name().equals("retention.ms"))
        .allSatisfy(value -> assertThat(value.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG));
  }

  @Test
  void produceReadsTheLimitFromTheStoredConfigs() {
    assertThat(TopicConfigs.maxMessageBytes(Map.of())).isEqualTo(1048588);
    assertThat(TopicConfigs.maxMessageBytes(TopicConfigs.toStore(Map.of("max.message.bytes", "2048"))))
        .isEqualTo(2048);
  }
}
