package dev.queenj.core.retention;

/**
 * How often the background services run and how much each statement deletes (Queen's settings, spec §4).
 *
 * @param intervalMs time between retention cycles ({@code RETENTION_INTERVAL})
 * @param batchSize rows per delete statement ({@code RETENTION_BATCH_SIZE})
 * @param evictionIntervalMs time between eviction cycles ({@code EVICTION_INTERVAL})
 * @param partitionCleanupDays days an empty partition must have been idle before it is removed
 *     ({@code PARTITION_CLEANUP_DAYS})
 * @param compactionIntervalMs time between compaction cycles of compacted Kafka topics ({@code COMPACTION_INTERVAL})
 * @param producerIdExpirationMs how long a Kafka producer's sequence state in a log, and a producer id with none
 *     left, outlive its last write (Kafka's {@code producer.id.expiration.ms}); the producer a transactional id maps
 *     to keeps its states as long as the id is kept
 * @param transactionalIdExpirationMs how long a Kafka transactional id with no transaction open outlives its last
 *     change (Kafka's {@code transactional.id.expiration.ms})
 */
public record RetentionConfig(long intervalMs, int batchSize, long evictionIntervalMs, int partitionCleanupDays,
    long compactionIntervalMs, int producerIdExpirationMs, int transactionalIdExpirationMs) {
  public static final long DEFAULT_INTERVAL_MS = 300_000;
  public static final int DEFAULT_BATCH_SIZE = 1_000;
  public static final long DEFAULT_EVICTION_INTERVAL_MS = 60_000;
  public static final int DEFAULT_PARTITION_CLEANUP_DAYS = 7;
  /** Kafka's cleaner looks for dirty logs every 15 s ({@code log.cleaner.backoff.ms}); a cycle here also reads. */
  public static final long DEFAULT_COMPACTION_INTERVAL_MS = 30_000;
  /** Kafka's default {@code producer.id.expiration.ms}: one day. */
  public static final int DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000;
  /** Kafka's default {@code transactional.id.expiration.ms}: seven days. */
  public static final int DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS = 604_800_000;
  public static final RetentionConfig DEFAULTS = new RetentionConfig(DEFAULT_INTERVAL_MS, DEFAULT_BATCH_SIZE,
      DEFAULT_EVICTION_INTERVAL_MS, DEFAULT_PARTITION_CLEANUP_DAYS, DEFAULT_COMPACTION_INTERVAL_MS);

  public RetentionConfig {
    if (intervalMs < 1) {
      throw new IllegalArgumentException("RETENTION_INTERVAL must be at least 1 ms");
    }
    if (batchSize < 1 || batchSize > 1_000_000) {
      throw new IllegalArgumentException("RETENTION_BATCH_SIZE must be between 1 and 1000000");
    }
    if (evictionIntervalMs < 1) {
      throw new IllegalArgumentException("EVICTION_INTERVAL must be at least 1 ms");
    }
    if (partitionCleanupDays < 1) {
      throw new IllegalArgumentException("PARTITION_CLEANUP_DAYS must be at least 1");
    }
    if (compactionIntervalMs < 1) {
      throw new IllegalArgumentException("COMPACTION_INTERVAL must be at least 1 ms");
    }
    if (producerIdExpirationMs < 1) {
      throw new IllegalArgumentException("QUEEN_KAFKA_PRODUCER_ID_EXPIRATION_MS must be at least 1 ms");
    }
    if (transactionalIdExpirationMs < 1) {
      throw new IllegalArgumentException("QUEEN_KAFKA_TRANSACTIONAL_ID_EXPIRATION_MS must be at least 1 ms");
    }
  }

  /** These services' settings with Kafka's producer-id and transactional-id expirations. */
  public RetentionConfig(long intervalMs, int batchSize, long evictionIntervalMs, int partitionCleanupDays,
      long compactionIntervalMs) {
    this(intervalMs, batchSize, evictionIntervalMs, partitionCleanupDays, compactionIntervalMs,
        DEFAULT_PRODUCER_ID_EXPIRATION_MS, DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS);
  }
}
