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
 */
public record RetentionConfig(long intervalMs, int batchSize, long evictionIntervalMs, int partitionCleanupDays,
    long compactionIntervalMs) {
  public static final long DEFAULT_INTERVAL_MS = 300_000;
  public static final int DEFAULT_BATCH_SIZE = 1_000;
  public static final long DEFAULT_EVICTION_INTERVAL_MS = 60_000;
  public static final int DEFAULT_PARTITION_CLEANUP_DAYS = 7;
  /** Kafka's cleaner looks for dirty logs every 15 s ({@code log.cleaner.backoff.ms}); a cycle here also reads. */
  public static final long DEFAULT_COMPACTION_INTERVAL_MS = 30_000;
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
  }
}
