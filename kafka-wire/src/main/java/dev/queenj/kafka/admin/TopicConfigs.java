package dev.queenj.kafka.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The topic configs this server supports. Settable ones are stored per queue when a topic is created with them;
 * informational ones describe fixed behaviour (one replica, logs kept in Postgres rather than segments, records
 * stored as the producer sent them) and are accepted only with that value, so tools that pass them still work.
 */
final class TopicConfigs {
  /** Kafka's default for {@code max.message.bytes} and the broker's {@code message.max.bytes}. */
  static final String DEFAULT_MAX_MESSAGE_BYTES = "1048588";

  static final List<ConfigDefinition> DEFINITIONS = List.of(
      ConfigDefinition.settable("cleanup.policy", ConfigType.LIST, "delete", "log.cleanup.policy",
          "Only delete: Queen keeps every record of a log until retention removes it; compaction is not supported.",
          "delete"::equals),
      ConfigDefinition.settable("max.message.bytes", ConfigType.INT, DEFAULT_MAX_MESSAGE_BYTES, "message.max.bytes",
          "The largest record batch size allowed for this topic.", value -> ConfigDefinition.intAtLeast(value, 0)),
      ConfigDefinition.settable("retention.ms", ConfigType.LONG, "-1", "log.retention.ms",
          "How long a record is kept, -1 for ever. Stored for the topic; Queen does not delete by it yet, so the"
              + " default is -1: records are kept until the queue is deleted or native retention removes them.",
          value -> ConfigDefinition.longAtLeast(value, -1)),
      ConfigDefinition.informational("retention.bytes", ConfigType.LONG, "-1", "log.retention.bytes",
          "Informational: logs are never trimmed by size."),
      ConfigDefinition.informational("min.insync.replicas", ConfigType.INT, "1", "min.insync.replicas",
          "Informational: every partition has one replica; durability comes from the Postgres commit."),
      ConfigDefinition.informational("segment.bytes", ConfigType.INT, "1073741824", "log.segment.bytes",
          "Informational: logs are rows in Postgres, not segment files."),
      ConfigDefinition.informational("message.timestamp.type", ConfigType.STRING, "CreateTime",
          "log.message.timestamp.type", "Informational: records keep the timestamp their producer set."),
      ConfigDefinition.informational("compression.type", ConfigType.STRING, "producer", "compression.type",
          "Informational: record batches are stored as their producer compressed them."));

  private static final Map<String, ConfigDefinition> BY_NAME = DEFINITIONS.stream()
      .collect(Collectors.toMap(ConfigDefinition::name, Function.identity()));

  private TopicConfigs() {}

  /**
   * The configs to store for a new topic given the ones its request names (name → value, null for none): only
   * settable ones whose value differs from the default.
   *
   * @throws InvalidConfigurationException for an unknown config, a null or invalid value, or a read-only config with
   *     a value other than its own
   */
  static Map<String, String> toStore(Map<String, String> requested) {
    Map<String, String> stored = new TreeMap<>();
    requested.forEach((name, value) -> {
      ConfigDefinition definition = BY_NAME.get(name);
      if (definition == null) {
        throw new InvalidConfigurationException("Unknown or unsupported topic config " + name);
      }
      if (!definition.valid(value)) {
        throw new InvalidConfigurationException("Invalid value " + value + " for topic config " + name
            + (definition.settable() ? "" : "; it is read-only here: " + definition.documentation()));
      }
      if (definition.settable() && !definition.defaultValue().equals(value.trim())) {
        stored.put(name, value.trim());
      }
    });
    return stored;
  }

  /** Every supported config of a topic on which {@code stored} were set, in definition order. */
  static List<ConfigValue> of(Map<String, String> stored) {
    List<ConfigValue> values = new ArrayList<>(DEFINITIONS.size());
    for (ConfigDefinition definition : DEFINITIONS) {
      String value = stored.get(definition.name());
      values.add(value != null ? new ConfigValue(definition, value, ConfigSource.TOPIC_CONFIG)
          : new ConfigValue(definition, definition.defaultValue(), ConfigSource.DEFAULT_CONFIG));
    }
    return values;
  }
}
