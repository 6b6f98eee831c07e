package dev.queenj.client.streams;

import java.time.Duration;

/**
 * How a runner drives the query: {@code reset} wipes the query's state when its operator chain changed; the pop's
 * batch size, long-poll wait and partitions per pop default to Queen's SDKs' (200, 1 s, 4).
 */
public record RunOptions(boolean reset, int batchSize, Duration maxWait, int maxPartitions) {
  public RunOptions {
    if (batchSize < 1 || maxPartitions < 1) {
      throw new IllegalArgumentException("batchSize and maxPartitions must be at least 1");
    }
    if (maxWait == null || maxWait.toMillis() < 1) {
      throw new IllegalArgumentException("maxWait must be at least 1 ms");
    }
  }

  public static RunOptions defaults() {
    return new RunOptions(false, 200, Duration.ofSeconds(1), 4);
  }

  public RunOptions reset(boolean reset) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions);
  }

  public RunOptions batchSize(int batchSize) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions);
  }

  public RunOptions maxWait(Duration maxWait) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions);
  }

  public RunOptions maxPartitions(int maxPartitions) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions);
  }
}
