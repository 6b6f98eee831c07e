package dev.queenj.server;

import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.http.HttpConfig;
import dev.queenj.kafka.KafkaConfig;

/** The whole configuration, validated; each module receives only its part. */
public record QueenConfig(DatabaseConfig database, HttpConfig http, KafkaConfig kafka, long shutdownTimeoutMs,
    BufferConfig buffer, RetentionConfig retention) {
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  public QueenConfig {
    if (database == null || http == null || kafka == null || buffer == null || retention == null) {
      throw new IllegalArgumentException("database, http, kafka, buffer and retention settings are required");
    }
    if (shutdownTimeoutMs < 0) {
      throw new IllegalArgumentException("QUEEN_SHUTDOWN_TIMEOUT_MS must not be negative");
    }
  }

  /** With the default outage buffer (under the data directory) and the default retention settings. */
  public QueenConfig(DatabaseConfig database, HttpConfig http, KafkaConfig kafka, long shutdownTimeoutMs) {
    this(database, http, kafka, shutdownTimeoutMs, database == null ? null : BufferConfig.under(database.dataDir()),
        RetentionConfig.DEFAULTS);
  }

  /** The same with the outage buffer in {@code buffer}. */
  public QueenConfig withBuffer(BufferConfig buffer) {
    return new QueenConfig(database, http, kafka, shutdownTimeoutMs, buffer, retention);
  }
}
