package dev.queenj.server;

import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.http.HttpConfig;
import dev.queenj.kafka.KafkaConfig;
import java.util.List;
import java.util.Locale;

/**
 * Every setting, documented once: its environment variable, the equivalent {@code --flag}, its default and what it
 * means. {@code --help} prints this table, so it cannot drift from what is read.
 */
enum Setting {
  PG_URL("QUEEN_PG_URL", "", "postgresql://user:pass@host:port/db of an existing server; unset starts an embedded "
      + "Postgres whose data lives in QUEEN_DATA_DIR"),
  DATA_DIR("QUEEN_DATA_DIR", DatabaseConfig.DEFAULT_DATA_DIR, "embedded Postgres data; survives restarts"),
  PG_POOL_SIZE("QUEEN_PG_POOL_SIZE", String.valueOf(DatabaseConfig.DEFAULT_POOL_SIZE), "connections to Postgres, "
      + "besides those that write appends (one per core, at least 2)"),
  HTTP_PORT("QUEEN_HTTP_PORT", String.valueOf(HttpConfig.DEFAULT_PORT), "native HTTP API port (Queen's PORT is "
      + "also accepted)", "PORT"),
  HTTP_MAX_BODY_BYTES("QUEEN_HTTP_MAX_BODY_BYTES", String.valueOf(HttpConfig.DEFAULT_MAX_BODY_BYTES),
      "larger request bodies are refused with 413 before they are read"),
  DEFAULT_TIMEOUT("DEFAULT_TIMEOUT", String.valueOf(HttpConfig.DEFAULT_TIMEOUT_MS),
      "long-poll timeout in ms when a pop names none"),
  DEFAULT_BATCH_SIZE("DEFAULT_BATCH_SIZE", String.valueOf(HttpConfig.DEFAULT_BATCH),
      "pop batch size when a pop names none"),
  DEFAULT_SUBSCRIPTION_MODE("DEFAULT_SUBSCRIPTION_MODE", "", "where new consumer groups start when their first "
      + "pop names nothing: empty or 'all' (from the beginning) or 'new' (only later messages)"),
  KAFKA_PORT("QUEEN_KAFKA_PORT", String.valueOf(KafkaConfig.DEFAULT_PORT),
      "Kafka listener port, on all interfaces"),
  KAFKA_ADVERTISED_HOST("QUEEN_KAFKA_ADVERTISED_HOST", KafkaConfig.DEFAULT_ADVERTISED_HOST,
      "host returned to Kafka clients in Metadata; they connect to it after bootstrapping"),
  KAFKA_DEFAULT_PARTITIONS("QUEEN_KAFKA_DEFAULT_PARTITIONS", String.valueOf(KafkaConfig.DEFAULT_PARTITIONS),
      "Kafka partitions (logs) of every auto-created queue"),
  KAFKA_MAX_REQUEST_BYTES("QUEEN_KAFKA_MAX_REQUEST_BYTES", String.valueOf(KafkaConfig.DEFAULT_MAX_REQUEST_BYTES),
      "a larger Kafka request closes its connection before it is read (Kafka's socket.request.max.bytes)"),
  KAFKA_AUTO_CREATE_TOPICS("QUEEN_KAFKA_AUTO_CREATE_TOPICS", String.valueOf(KafkaConfig.DEFAULT_AUTO_CREATE_TOPICS),
      "true or false: create a queue when a Kafka client asks for a missing topic and allows creation "
      + "(Kafka's auto.create.topics.enable)"),
  RETENTION_INTERVAL("RETENTION_INTERVAL", String.valueOf(RetentionConfig.DEFAULT_INTERVAL_MS),
      "ms between retention cycles (retentionSeconds, completedRetentionSeconds, Kafka retention.ms and "
      + "retention.bytes, dead letters, idle partitions); one instance runs a cycle at a time"),
  RETENTION_BATCH_SIZE("RETENTION_BATCH_SIZE", String.valueOf(RetentionConfig.DEFAULT_BATCH_SIZE),
      "rows deleted per statement by retention and eviction, each statement its own transaction"),
  EVICTION_INTERVAL("EVICTION_INTERVAL", String.valueOf(RetentionConfig.DEFAULT_EVICTION_INTERVAL_MS),
      "ms between eviction cycles (maxWaitTimeSeconds)"),
  PARTITION_CLEANUP_DAYS("PARTITION_CLEANUP_DAYS", String.valueOf(RetentionConfig.DEFAULT_PARTITION_CLEANUP_DAYS),
      "days an empty partition stays without messages before retention removes it and its cursors"),
  SHUTDOWN_TIMEOUT_MS("QUEEN_SHUTDOWN_TIMEOUT_MS", String.valueOf(QueenConfig.DEFAULT_SHUTDOWN_TIMEOUT_MS),
      "how long a stopping server waits for in-flight requests");

  final String env;
  final String defaultValue;
  final String doc;
  final List<String> aliases;

  Setting(String env, String defaultValue, String doc, String... aliases) {
    this.env = env;
    this.defaultValue = defaultValue;
    this.doc = doc;
    this.aliases = List.of(aliases);
  }

  /** {@code QUEEN_HTTP_PORT} is {@code --http-port}; {@code DEFAULT_TIMEOUT} is {@code --default-timeout}. */
  String flag() {
    return "--" + env.replaceFirst("^QUEEN_", "").toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
