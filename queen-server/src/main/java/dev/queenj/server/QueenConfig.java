package dev.queenj.server;

import dev.queenj.http.HttpConfig;
import dev.queenj.kafka.KafkaConfig;

/** The whole configuration, validated; each module receives only its part. */
public record QueenConfig(DatabaseConfig database, HttpConfig http, KafkaConfig kafka, long shutdownTimeoutMs,
    BufferConfig buffer) {
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  /** With the default outage buffer, under the data directory. */
  public QueenConfig(DatabaseConfig database, HttpConfig http, KafkaConfig kafka, long shutdownTimeoutMs) {
    this(database, http, kafka, shutdownTimeoutMs, database == null ? null : BufferConfig.under(database.dataDir()));
  }

  public QueenConfig {
    if (database == null || http == null || kafka == null || buffer == null) {
      throw new IllegalArgumentException("database, http, kafka and buffer settings are required");
    }
    if (shutdownTimeoutMs < 0) {
      throw new IllegalArgumentException("QUEEN_SHUTDOWN_TIMEOUT_MS must not be negative");
    }
  }
}
