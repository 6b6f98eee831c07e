package dev.queenj.core.stats;

/**
 * How the throughput statistics are kept.
 *
 * @param flushIntervalMs how often an instance adds its in-memory counts to {@code queue_stats}
 *     ({@code QUEEN_STATS_FLUSH_INTERVAL_MS}); other instances' counts show up that late in each other's answers
 * @param retentionDays how long per-minute statistics and trace events are kept ({@code QUEEN_STATS_RETENTION_DAYS})
 */
public record StatsConfig(long flushIntervalMs, int retentionDays) {
  public static final long DEFAULT_FLUSH_INTERVAL_MS = 60_000;
  public static final int DEFAULT_RETENTION_DAYS = 7;
  public static final StatsConfig DEFAULTS = new StatsConfig(DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_RETENTION_DAYS);

  public StatsConfig {
    if (flushIntervalMs < 100 || flushIntervalMs > 3_600_000) {
      throw new IllegalArgumentException("QUEEN_STATS_FLUSH_INTERVAL_MS must be between 100 and 3600000");
    }
    if (retentionDays < 1 || retentionDays > 3_650) {
      throw new IllegalArgumentException("QUEEN_STATS_RETENTION_DAYS must be between 1 and 3650");
    }
  }
}
