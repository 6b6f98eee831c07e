package dev.queenj.server;

import dev.queenj.core.cluster.ClusterSettings;
import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.http.HttpConfig;
import dev.queenj.kafka.KafkaConfig;

/**
 * The whole configuration, validated; each module receives only its part. {@code encryption} holds the keys of
 * encryption at rest ({@link PayloadCipher#NONE} without QUEEN_ENCRYPTION_KEY).
 */
public record QueenConfig(DatabaseConfig database, HttpConfig http, KafkaConfig kafka, long shutdownTimeoutMs,
    BufferConfig buffer, RetentionConfig retention, PayloadCipher encryption, ClusterSettings cluster) {
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  public QueenConfig {
    if (database == null || http == null || kafka == null || buffer == null || retention == null
        || encryption == null || cluster == null) {
      throw new IllegalArgumentException("database, http, kafka, buffer, retention, encryption and cluster settings "
          + "are required");
    }
    if (shutdownTimeoutMs < 0) {
      throw new IllegalArgumentException("QUEEN_SHUTDOWN_TIMEOUT_MS must not be negative");
    }
  }

  /** As a single instance would run: a generated instance id, the default heartbeat and expiry. */
  public QueenConfig(DatabaseConfig database, HttpConfig http, KafkaConfig kafka, long shutdownTimeoutMs,
      BufferConfig buffer, RetentionConfig retention, PayloadCipher encryption) {
    this(database, http, kafka, shutdownTimeoutMs, buffer, retention, encryption, ClusterSettings.DEFAULTS);
  }

  /** With the default outage buffer (under the data directory) and the default retention settings. */
  public QueenConfig(DatabaseConfig database, HttpConfig http, KafkaConfig kafka, long shutdownTimeoutMs) {
    this(database, http, kafka, shutdownTimeoutMs, database == null ? null : BufferConfig.under(database.dataDir()),
        RetentionConfig.DEFAULTS, PayloadCipher.NONE);
  }

  /** The same with the outage buffer in {@code buffer}. */
  public QueenConfig withBuffer(BufferConfig buffer) {
    return new QueenConfig(database, http, kafka, shutdownTimeoutMs, buffer, retention, encryption, cluster);
  }

  /** The same with encryption at rest under these keys. */
  public QueenConfig withEncryption(PayloadCipher encryption) {
    return new QueenConfig(database, http, kafka, shutdownTimeoutMs, buffer, retention, encryption, cluster);
  }

  /** The same with this instance id, heartbeat and expiry. */
  public QueenConfig withCluster(ClusterSettings cluster) {
    return new QueenConfig(database, http, kafka, shutdownTimeoutMs, buffer, retention, encryption, cluster);
  }
}
