package dev.queenj.core.stats;

/**
 * How the throughput statistics are kept.
 *
 * @param flushIntervalMs how often an instance adds its in-memory counts to {@code queue_stats}
 *     ({@code QUEEN_STATS_FLUSH_INTERVAL_MS}); other instances' counts show up that late in each other's answers
 * @param retentionDays how long per-minute statistics and trace events are kept ({@code QUEEN_STATS_RETENTION_DAYS})
 * @param metricsQueueSeries how many queues, and how many (group, queue) pairs, get series of their own on the
 *     Prometheus endpoint ({@code QUEEN_METRICS_QUEUE_SERIES}; 0: only the totals); bounds its cardinality
 */
public record StatsConfig(long flushIntervalMs, int retentionDays, int metricsQueueSeries) {
  public static final long DEFAULT_FLUSH_INTERVAL_MS = 60_000;
  public static final int DEFAULT_RETENTION_DAYS = 7;
  public static final int DEFAULT_METRICS_QUEUE_SERIES = 50;
  /** Prometheus keeps every series it has seen for a while: more than this would be a mistake, not a choice. */
  public static final int MAX_METRICS_QUEUE_SERIES = 10_000;
  public static final StatsConfig DEFAULTS = new StatsConfig(DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_RETENTION_DAYS);

  /** With the default number of per-queue Prometheus series. */
  public StatsConfig(long flushIntervalMs, int retentionDays) {
    this(flushIntervalMs, retentionDays, DEFAULT_METRICS_QUEUE_SERIES);
  }

  public StatsConfig {
    if (flushIntervalMs < 100 || flushIntervalMs > 3_600_000) {
      throw new IllegalArgumentException("QUEEN_STATS_FLUSH_INTERVAL_MS must be between 100 and 3600000");
    }
    if (retentionDays < 1 || retentionDays > 3_650) {
      throw new IllegalArgumentException("QUEEN_STATS_RETENTION_DAYS must be between 1 and 3650");
    }
    if (metricsQueueSeries < 0 || metricsQueueSeries > MAX_METRICS_QUEUE_SERIES) {
      throw new IllegalArgumentException("QUEEN_METRICS_QUEUE_SERIES must be between 0 and "
          + MAX_METRICS_QUEUE_SERIES);
    }
  }

  /** The same with {@code metricsQueueSeries} per-queue Prometheus series. */
  public StatsConfig withMetricsQueueSeries(int metricsQueueSeries) {
    return new StatsConfig(flushIntervalMs, retentionDays, metricsQueueSeries);
  }
}
