package dev.queenj.kafka.admin;

import dev.queenj.kafka.KafkaConfig;
import java.util.List;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The broker configs this server reports for its one node: the Queen settings Kafka has a name for, and the fixed
 * values that describe how it behaves. All read-only: they change with the server's configuration, not over Kafka.
 */
final class BrokerConfigs {
  private BrokerConfigs() {}

  static List<ConfigValue> of(KafkaConfig config) {
    return List.of(
        new ConfigValue(ConfigDefinition.informational("num.partitions", ConfigType.INT,
            String.valueOf(config.defaultPartitions()), null,
            "Partitions of a topic created without a count (QUEEN_KAFKA_DEFAULT_PARTITIONS)."),
            String.valueOf(config.defaultPartitions()), ConfigSource.STATIC_BROKER_CONFIG),
        new ConfigValue(ConfigDefinition.informational("auto.create.topics.enable", ConfigType.BOOLEAN,
            String.valueOf(config.autoCreateTopics()), null,
            "Whether Metadata requests create missing topics (QUEEN_KAFKA_AUTO_CREATE_TOPICS)."),
            String.valueOf(config.autoCreateTopics()), ConfigSource.STATIC_BROKER_CONFIG),
        fixed("default.replication.factor", ConfigType.INT, "1",
            "Every partition has one replica; durability comes from the Postgres commit."),
        fixed("min.insync.replicas", ConfigType.INT, "1", "Every partition has one replica."),
        fixed("message.max.bytes", ConfigType.INT, TopicConfigs.DEFAULT_MAX_MESSAGE_BYTES,
            "The largest record batch size allowed, unless a topic sets max.message.bytes."),
        fixed("log.cleanup.policy", ConfigType.LIST, "delete",
            "The cleanup policy of a topic that does not set cleanup.policy."),
        fixed("compression.type", ConfigType.STRING, "uncompressed",
            "Records are decompressed on produce, stored one per row and fetched uncompressed."));
  }

  private static ConfigValue fixed(String name, ConfigType type, String value, String documentation) {
    return new ConfigValue(ConfigDefinition.informational(name, type, value, null, documentation), value,
        ConfigSource.DEFAULT_CONFIG);
  }
}
