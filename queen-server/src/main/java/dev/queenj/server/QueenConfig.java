package dev.queenj.server;

import dev.queenj.http.HttpConfig;
import dev.queenj.kafka.KafkaConfig;

/** The whole configuration, validated; each module receives only its part. */
public record QueenConfig(DatabaseConfig database, HttpConfig http, KafkaConfig kafka, long shutdownTimeoutMs) {
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  public QueenConfig {
    if (database == null || http == null || kafka == null) {
      throw new IllegalArgumentException("database, http and kafka settings are required");
    }
    if (shutdownTimeoutMs < 0) {
      throw new IllegalArgumentException("QUEEN_SHUTDOWN_TIMEOUT_MS must not be negative");
    }
  }
}
