package dev.queenj.server;

import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.http.HttpConfig;
import dev.queenj.kafka.KafkaConfig;

/** The whole configuration, validated; each module receives only its part. */
public record QueenConfig(DatabaseConfig database, HttpConfig http, KafkaConfig kafka, long shutdownTimeoutMs,
    RetentionConfig retention) {
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  public QueenConfig {
    if (database == null || http == null || kafka == null || retention == null) {
      throw new IllegalArgumentException("database, http, kafka and retention settings are required");
    }
    if (shutdownTimeoutMs < 0) {
      throw new IllegalArgumentException("QUEEN_SHUTDOWN_TIMEOUT_MS must not be negative");
    }
  }

  /** With the default retention settings. */
  public QueenConfig(DatabaseConfig database, HttpConfig http, KafkaConfig kafka, long shutdownTimeoutMs) {
    this(database, http, kafka, shutdownTimeoutMs, RetentionConfig.DEFAULTS);
  }
}
