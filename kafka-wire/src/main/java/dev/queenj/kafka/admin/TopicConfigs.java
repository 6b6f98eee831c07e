package dev.queenj.kafka.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The topic configs this server supports. Settable ones are stored per queue when a topic is created or altered;
 * informational ones describe fixed behaviour (one replica, logs kept in Postgres rather than segments, records
 * stored as the producer sent them) and are accepted only with that value, so tools that pass them still work.
 */
public final class TopicConfigs {
  /** Kafka's default for {@code max.message.bytes} and the broker's {@code message.max.bytes}. */
  static final String DEFAULT_MAX_MESSAGE_BYTES = "1048588";

  static final List<ConfigDefinition> DEFINITIONS = List.of(
      ConfigDefinition.settable("cleanup.policy", ConfigType.LIST, "delete", "log.cleanup.policy",
          "Only delete: Queen keeps every record of a log until retention removes it; compaction is not supported.",
          "delete"::equals),
      ConfigDefinition.settable("max.message.bytes", ConfigType.INT, DEFAULT_MAX_MESSAGE_BYTES, "message.max.bytes",
          "The largest record batch size allowed for this topic.", value -> ConfigDefinition.intAtLeast(value, 0)),
      ConfigDefinition.settable("retention.ms", ConfigType.LONG, "-1", "log.retention.ms",
          "How long a record is kept after it was stored, -1 for ever (the default, unlike Kafka's 7 days: Queen"
              + " keeps messages until a rule removes them). Enforced per partition by the retention service every"
              + " RETENTION_INTERVAL: the log start moves past the expired records.",
          value -> ConfigDefinition.longAtLeast(value, -1)),
      ConfigDefinition.settable("retention.bytes", ConfigType.LONG, "-1", "log.retention.bytes",
          "The most bytes of records a partition keeps, -1 for no limit; the oldest records go first, enforced by"
              + " the retention service every RETENTION_INTERVAL.",
          value -> ConfigDefinition.longAtLeast(value, -1)),
      ConfigDefinition.informational("min.insync.replicas", ConfigType.INT, "1", "min.insync.replicas",
          "Informational: every partition has one replica; durability comes from the Postgres commit."),
      ConfigDefinition.informational("segment.bytes", ConfigType.INT, "1073741824", "log.segment.bytes",
          "Informational: logs are rows in Postgres, not segment files."),
      ConfigDefinition.informational("message.timestamp.type", ConfigType.STRING, "CreateTime",
          "log.message.timestamp.type", "Informational: records keep the timestamp their producer set."),
      ConfigDefinition.informational("compression.type", ConfigType.STRING, "uncompressed", "compression.type",
          "Informational: records are decompressed on produce, stored one per row and fetched uncompressed."));

  private static final Map<String, ConfigDefinition> BY_NAME = DEFINITIONS.stream()
      .collect(Collectors.toMap(ConfigDefinition::name, Function.identity()));

  private TopicConfigs() {}

  /**
   * The configs to store for a new topic given the ones its request names (name → value, null for none): the
   * settable ones, explicitly set even when they equal the default, as Kafka keeps them.
   *
   * @throws InvalidConfigurationException for an unknown config, a null or invalid value, or a read-only config with
   *     a value other than its own
   */
  static Map<String, String> toStore(Map<String, String> requested) {
    Map<String, String> stored = new TreeMap<>();
    requested.forEach((name, value) -> set(stored, definition(name), value));
    return stored;
  }

  /**
   * The configs to store after applying {@code changes}, in order, to the {@code stored} ones (IncrementalAlterConfigs
   * semantics: SET, DELETE back to the default, APPEND to and SUBTRACT from a list).
   *
   * @throws InvalidConfigurationException as {@link #toStore} (but DELETE of an unknown config is no error, as in
   *     Kafka: tools such as kafka-reassign-partitions clear throttle configs we do not have), and for APPEND or
   *     SUBTRACT on a config that is not a list
   */
  static Map<String, String> alter(Map<String, String> stored, List<ConfigChange> changes) {
    Map<String, String> altered = new TreeMap<>(stored);
    for (ConfigChange change : changes) {
      if (change.op() == AlterConfigOp.OpType.DELETE) {
        // as in Kafka, deleting a config that is not set, known or not, leaves the topic as it is
        altered.remove(change.name());
        continue;
      }
      ConfigDefinition definition = definition(change.name());
      if (change.op() == AlterConfigOp.OpType.SET) {
        set(altered, definition, change.value());
      } else {
        if (definition.type() != ConfigType.LIST) {
          throw new InvalidConfigurationException("Config " + change.name() + " is not a list; "
              + change.op() + " is only allowed on lists.");
        }
        Set<String> items = new LinkedHashSet<>(listItems(altered.getOrDefault(change.name(),
            definition.defaultValue())));
        if (change.op() == AlterConfigOp.OpType.APPEND) {
          items.addAll(listItems(change.value()));
        } else {
          items.removeAll(listItems(change.value()));
        }
        set(altered, definition, String.join(",", items));
      }
    }
    return altered;
  }

  private static ConfigDefinition definition(String name) {
    ConfigDefinition definition = BY_NAME.get(name);
    if (definition == null) {
      throw new InvalidConfigurationException("Unknown or unsupported topic config " + name);
    }
    return definition;
  }

  private static void set(Map<String, String> stored, ConfigDefinition definition, String value) {
    if (!definition.valid(value)) {
      throw new InvalidConfigurationException("Invalid value " + value + " for topic config " + definition.name()
          + (definition.settable() ? "" : "; it is read-only here: " + definition.documentation()));
    }
    if (definition.settable()) {
      stored.put(definition.name(), value.trim());
    }
  }

  private static List<String> listItems(String value) {
    return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim)
        .filter(item -> !item.isEmpty()).toList();
  }

  /**
   * The largest record batch, in bytes, a producer may send to a topic on which {@code stored} were set (read with
   * {@link dev.queenj.core.queue.QueueCatalog#topicConfigs}); what Produce enforces.
   */
  public static int maxMessageBytes(Map<String, String> stored) {
    return Integer.parseInt(stored.getOrDefault("max.message.bytes", DEFAULT_MAX_MESSAGE_BYTES));
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
