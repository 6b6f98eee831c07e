package dev.queenj.kafka.admin;

import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.group.GroupConfig;
import java.util.List;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The broker configs this server reports for its one node: the Queen settings Kafka has a name for, and the fixed
 * values that describe how it behaves. All read-only: they change with the server's configuration, not over Kafka.
 */
final class BrokerConfigs {
  private BrokerConfigs() {}

  static List<ConfigValue> of(KafkaConfig config, RetentionConfig retention) {
    GroupConfig groups = config.groups();
    return List.of(
        setting("num.partitions", ConfigType.INT, config.defaultPartitions(),
            "Partitions of a topic created without a count (QUEEN_KAFKA_DEFAULT_PARTITIONS)."),
        setting("auto.create.topics.enable", ConfigType.BOOLEAN, config.autoCreateTopics(),
            "Whether Metadata requests create missing topics (QUEEN_KAFKA_AUTO_CREATE_TOPICS)."),
        setting("group.initial.rebalance.delay.ms", ConfigType.INT, groups.initialRebalanceDelayMs(),
            "How long the first rebalance of an empty group waits for more members "
                + "(QUEEN_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS)."),
        setting("group.min.session.timeout.ms", ConfigType.INT, groups.minSessionTimeoutMs(),
            "The shortest session timeout a member may ask for (QUEEN_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS)."),
        setting("group.max.session.timeout.ms", ConfigType.INT, groups.maxSessionTimeoutMs(),
            "The longest session timeout a member may ask for (QUEEN_KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS)."),
        setting("producer.id.expiration.ms", ConfigType.INT, retention.producerIdExpirationMs(),
            "How long after its last write to a partition a producer's state there is forgotten, by the retention "
                + "cycle (QUEEN_KAFKA_PRODUCER_ID_EXPIRATION_MS)."),
        setting("transactional.id.expiration.ms", ConfigType.INT, retention.transactionalIdExpirationMs(),
            "How long after its last change a transactional id with no transaction open is forgotten, by the "
                + "retention cycle (QUEEN_KAFKA_TRANSACTIONAL_ID_EXPIRATION_MS)."),
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

  /** A value in effect from the server's configuration. */
  private static ConfigValue setting(String name, ConfigType type, Object value, String documentation) {
    String text = String.valueOf(value);
    return new ConfigValue(ConfigDefinition.informational(name, type, text, null, documentation), text,
        ConfigSource.STATIC_BROKER_CONFIG);
  }

  private static ConfigValue fixed(String name, ConfigType type, String value, String documentation) {
    return new ConfigValue(ConfigDefinition.informational(name, type, value, null, documentation), value,
        ConfigSource.DEFAULT_CONFIG);
  }
}
