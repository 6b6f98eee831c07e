package dev.queenj.client.streams;

import java.time.Duration;

/**
 * How a runner drives the query: {@code reset} wipes the query's state when its operator chain changed; the pop's
 * batch size, long-poll wait and partitions per pop default to Queen's SDKs' (200, 1 s, 4). {@code idleFlush}: how
 * often a windowed stream closes the ripe windows of partitions that got no new message (spec §3 item 4); null means
 * the window kind's default in Queen's SDKs (tumbling and sliding 5 s, session 1 s, cron 30 s), {@link Duration#ZERO}
 * turns it off. It is not part of the config hash: changing it needs no reset.
 */
public record RunOptions(boolean reset, int batchSize, Duration maxWait, int maxPartitions, Duration idleFlush) {
  public RunOptions {
    if (batchSize < 1 || maxPartitions < 1) {
      throw new IllegalArgumentException("batchSize and maxPartitions must be at least 1");
    }
    if (maxWait == null || maxWait.toMillis() < 1) {
      throw new IllegalArgumentException("maxWait must be at least 1 ms");
    }
    if (idleFlush != null && idleFlush.isNegative()) {
      throw new IllegalArgumentException("idleFlush must not be negative");
    }
  }

  public static RunOptions defaults() {
    return new RunOptions(false, 200, Duration.ofSeconds(1), 4, null);
  }

  public RunOptions reset(boolean reset) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, idleFlush);
  }

  public RunOptions batchSize(int batchSize) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, idleFlush);
  }

  public RunOptions maxWait(Duration maxWait) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, idleFlush);
  }

  public RunOptions maxPartitions(int maxPartitions) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, idleFlush);
  }

  /** The idle flush's interval; {@link Duration#ZERO} turns it off. */
  public RunOptions idleFlush(Duration idleFlush) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, idleFlush);
  }
}
