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
  void settableConfigsAreStoredAndInformationalOnesOnlyAcceptTheirValue() {
    assertThat(TopicConfigs.toStore(Map.of("retention.ms", " 1000 ", "cleanup.policy", "delete",
        "min.insync.replicas", "1"))).containsExactly(Map.entry("cleanup.policy", "delete"),
        Map.entry("retention.ms", "1000"));

    for (Map<String, String> refused : List.of(Map.of("cleanup.policy", "compact"), Map.of("retention.ms", "-2"),
        Map.of("max.message.bytes", "big"), Map.of("min.insync.replicas", "2"), Map.of("flush.ms", "1"))) {
      assertThatThrownBy(() -> TopicConfigs.toStore(refused)).as("%s", refused)
          .isInstanceOf(InvalidConfigurationException.class);
    }
  }

  @Test
  void changesApplyInOrderAndListsAppendWithoutDuplicates() {
    Map<String, String> altered = TopicConfigs.alter(Map.of("retention.ms", "1000"), List.of(
        new ConfigChange("max.message.bytes", OpType.SET, "10"),
        new ConfigChange("max.message.bytes", OpType.SET, "20"),
        new ConfigChange("retention.ms", OpType.DELETE, null),
        new ConfigChange("follower.replication.throttled.replicas", OpType.DELETE, null),
        new ConfigChange("cleanup.policy", OpType.APPEND, "delete")));

    assertThat(altered).containsExactly(Map.entry("cleanup.policy", "delete"), Map.entry("max.message.bytes", "20"));
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
