package dev.queenj.kafka.admin;

import java.util.ArrayList;
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
 * The topic configs this server supports, validated as Kafka validates them. Some have an effect (retention, the
 * record size limit, compaction); the others describe log segments, disk flushes, replication or tiered storage,
 * which Queen does not have: they are accepted with any value Kafka accepts and stored, so that frameworks and tools
 * that pass them (Kafka Streams, Connect, MirrorMaker 2, Schema Registry, Debezium, UIs) work, and their
 * documentation in DescribeConfigs says that they are stored only. Values that cannot make sense here are refused.
 */
public final class TopicConfigs {
  /** Kafka's default for {@code max.message.bytes} and the broker's {@code message.max.bytes}. */
  static final String DEFAULT_MAX_MESSAGE_BYTES = "1048588";
  private static final String LONG_MAX = String.valueOf(Long.MAX_VALUE);
  private static final String NO_SEGMENTS = "Stored only: a log is rows in Postgres, not segment files.";
  private static final String NO_FLUSH = "Stored only: a record is durable once the Postgres transaction that"
      + " stores it commits; there is no separate flush.";
  private static final String ONE_REPLICA = "Stored only: every partition has one replica on this node; durability"
      + " comes from the Postgres commit.";
  private static final String NO_COMPRESSION = "Stored only: records are decompressed on produce, stored one per row"
      + " and fetched uncompressed.";
  private static final String NO_TIERED_STORAGE = "Stored only: logs live in Postgres; there is no tiered storage.";

  static final List<ConfigDefinition> DEFINITIONS = List.of(
      ConfigDefinition.settable("cleanup.policy", ConfigType.LIST, "delete", "log.cleanup.policy",
          "delete: retention.ms and retention.bytes remove old records. compact: the compaction cleaner keeps"
              + " the latest record of each key. Both may be given.",
          ValidValues.listOf("compact", "delete")),
      ConfigDefinition.settable("max.message.bytes", ConfigType.INT, DEFAULT_MAX_MESSAGE_BYTES, "message.max.bytes",
          "The largest record batch size allowed for this topic.", ValidValues.intAtLeast(0)),
      ConfigDefinition.settable("retention.ms", ConfigType.LONG, "-1", "log.retention.ms",
          "How long a record is kept after it was stored, -1 for ever (the default, unlike Kafka's 7 days: Queen"
              + " keeps messages until a rule removes them). Enforced per partition by the retention service every"
              + " RETENTION_INTERVAL: the log start moves past the expired records.",
          ValidValues.longAtLeast(-1)),
      ConfigDefinition.settable("retention.bytes", ConfigType.LONG, "-1", "log.retention.bytes",
          "The most bytes of records a partition keeps, -1 for no limit; the oldest records go first, enforced by"
              + " the retention service every RETENTION_INTERVAL.",
          ValidValues.longAtLeast(-1)),
      ConfigDefinition.settable("delete.retention.ms", ConfigType.LONG, "86400000", "log.cleaner.delete.retention.ms",
          "How long a tombstone (a record with a null value) stays readable on a compacted topic.",
          ValidValues.longAtLeast(0)),
      ConfigDefinition.settable("min.compaction.lag.ms", ConfigType.LONG, "0", "log.cleaner.min.compaction.lag.ms",
          "The minimum time a record stays uncompacted on a compacted topic.", ValidValues.longAtLeast(0)),
      ConfigDefinition.settable("max.compaction.lag.ms", ConfigType.LONG, LONG_MAX, "log.cleaner.max.compaction.lag.ms",
          "The maximum time a superseded record may stay on a compacted topic.", ValidValues.longAtLeast(1)),
      ConfigDefinition.settable("min.cleanable.dirty.ratio", ConfigType.DOUBLE, "0.5", "log.cleaner.min.cleanable.ratio",
          "Stored only: the compaction cleaner removes every superseded record it finds, whatever their share.",
          ValidValues.doubleBetween(0, 1)),
      ConfigDefinition.settable("message.timestamp.type", ConfigType.STRING, "CreateTime",
          "log.message.timestamp.type", "Records keep the timestamp their producer set.",
          ValidValues.only("CreateTime", "LogAppendTime is not supported: Queen keeps the producer's timestamp")),
      ConfigDefinition.settable("message.timestamp.before.max.ms", ConfigType.LONG, LONG_MAX,
          "log.message.timestamp.before.max.ms",
          "Stored only: Produce does not compare record timestamps with the server's clock.",
          ValidValues.longAtLeast(0)),
      ConfigDefinition.settable("message.timestamp.after.max.ms", ConfigType.LONG, LONG_MAX,
          "log.message.timestamp.after.max.ms",
          "Stored only: Produce does not compare record timestamps with the server's clock (Kafka 4 defaults to"
              + " one hour).",
          ValidValues.longAtLeast(0)),
      ConfigDefinition.settable("message.timestamp.difference.max.ms", ConfigType.LONG, LONG_MAX,
          "log.message.timestamp.difference.max.ms",
          "Stored only, for clients of Kafka before 4.0, which removed it: Produce does not compare record"
              + " timestamps with the server's clock.",
          ValidValues.longAtLeast(0)),
      ConfigDefinition.settable("message.downconversion.enable", ConfigType.BOOLEAN, "true",
          "log.message.downconversion.enable",
          "Stored only, for clients of Kafka before 4.0, which removed it: Fetch never down-converts records.",
          ValidValues.bool()),
      ConfigDefinition.settable("compression.type", ConfigType.STRING, "producer", "compression.type",
          NO_COMPRESSION, ValidValues.oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer")),
      ConfigDefinition.settable("compression.gzip.level", ConfigType.INT, "-1", "compression.gzip.level",
          NO_COMPRESSION, ValidValues.oneOf("-1").or(ValidValues.intBetween(1, 9))),
      ConfigDefinition.settable("compression.lz4.level", ConfigType.INT, "9", "compression.lz4.level",
          NO_COMPRESSION, ValidValues.intBetween(1, 17)),
      ConfigDefinition.settable("compression.zstd.level", ConfigType.INT, "3", "compression.zstd.level",
          NO_COMPRESSION, ValidValues.intBetween(-131072, 22)),
      ConfigDefinition.settable("min.insync.replicas", ConfigType.INT, "1", "min.insync.replicas", ONE_REPLICA,
          ValidValues.intAtLeast(1)),
      ConfigDefinition.settable("unclean.leader.election.enable", ConfigType.BOOLEAN, "false",
          "unclean.leader.election.enable", ONE_REPLICA, ValidValues.bool()),
      ConfigDefinition.settable("leader.replication.throttled.replicas", ConfigType.LIST, "",
          "leader.replication.throttled.replicas", ONE_REPLICA, ValidValues.throttledReplicas()),
      ConfigDefinition.settable("follower.replication.throttled.replicas", ConfigType.LIST, "",
          "follower.replication.throttled.replicas", ONE_REPLICA, ValidValues.throttledReplicas()),
      ConfigDefinition.settable("segment.bytes", ConfigType.INT, "1073741824", "log.segment.bytes", NO_SEGMENTS,
          ValidValues.intAtLeast(1024 * 1024)),
      ConfigDefinition.settable("segment.ms", ConfigType.LONG, "604800000", "log.roll.ms", NO_SEGMENTS,
          ValidValues.longAtLeast(1)),
      ConfigDefinition.settable("segment.jitter.ms", ConfigType.LONG, "0", "log.roll.jitter.ms", NO_SEGMENTS,
          ValidValues.longAtLeast(0)),
      ConfigDefinition.settable("segment.index.bytes", ConfigType.INT, "10485760", "log.index.size.max.bytes",
          NO_SEGMENTS, ValidValues.intAtLeast(4)),
      ConfigDefinition.settable("index.interval.bytes", ConfigType.INT, "4096", "log.index.interval.bytes",
          NO_SEGMENTS, ValidValues.intAtLeast(0)),
      ConfigDefinition.settable("file.delete.delay.ms", ConfigType.LONG, "60000", "log.segment.delete.delay.ms",
          NO_SEGMENTS, ValidValues.longAtLeast(0)),
      ConfigDefinition.settable("preallocate", ConfigType.BOOLEAN, "false", "log.preallocate", NO_SEGMENTS,
          ValidValues.bool()),
      ConfigDefinition.settable("flush.messages", ConfigType.LONG, LONG_MAX, "log.flush.interval.messages", NO_FLUSH,
          ValidValues.longAtLeast(1)),
      ConfigDefinition.settable("flush.ms", ConfigType.LONG, LONG_MAX, "log.flush.interval.ms", NO_FLUSH,
          ValidValues.longAtLeast(0)),
      ConfigDefinition.settable("remote.storage.enable", ConfigType.BOOLEAN, "false", "remote.log.storage.system.enable",
          "Logs live in Postgres; there is no tiered storage.",
          ValidValues.only("false", "tiered storage is not supported: logs live in Postgres")),
      ConfigDefinition.settable("local.retention.ms", ConfigType.LONG, "-2", "log.local.retention.ms",
          NO_TIERED_STORAGE, ValidValues.longAtLeast(-2)),
      ConfigDefinition.settable("local.retention.bytes", ConfigType.LONG, "-2", "log.local.retention.bytes",
          NO_TIERED_STORAGE, ValidValues.longAtLeast(-2)),
      ConfigDefinition.settable("remote.log.copy.disable", ConfigType.BOOLEAN, "false", null, NO_TIERED_STORAGE,
          ValidValues.bool()),
      ConfigDefinition.settable("remote.log.delete.on.disable", ConfigType.BOOLEAN, "false", null,
          NO_TIERED_STORAGE, ValidValues.bool()));

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
   * @throws InvalidConfigurationException as {@link #toStore}, and for APPEND or SUBTRACT on a config that is not a
   *     list
   */
  static Map<String, String> alter(Map<String, String> stored, List<ConfigChange> changes) {
    Map<String, String> altered = new TreeMap<>(stored);
    for (ConfigChange change : changes) {
      ConfigDefinition definition = definition(change.name());
      if (change.op() == AlterConfigOp.OpType.SET) {
        set(altered, definition, change.value());
      } else if (change.op() == AlterConfigOp.OpType.DELETE) {
        altered.remove(change.name());
      } else {
        if (definition.type() != ConfigType.LIST) {
          throw new InvalidConfigurationException("Config " + change.name() + " is not a list; "
              + change.op() + " is only allowed on lists.");
        }
        Set<String> items = new LinkedHashSet<>(ValidValues.items(altered.getOrDefault(change.name(),
            definition.defaultValue())));
        if (change.op() == AlterConfigOp.OpType.APPEND) {
          items.addAll(ValidValues.items(change.value()));
        } else {
          items.removeAll(ValidValues.items(change.value()));
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
          + ": value must be " + definition.validValues().expected() + ".");
    }
    if (definition.settable()) {
      stored.put(definition.name(), value.trim());
    }
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
