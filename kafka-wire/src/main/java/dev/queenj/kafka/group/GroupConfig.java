package dev.queenj.kafka.group;

/**
 * Group coordinator settings, with Kafka brokers' defaults.
 *
 * @param minSessionTimeoutMs a JoinGroup asking less is INVALID_SESSION_TIMEOUT ({@code group.min.session.timeout.ms})
 * @param maxSessionTimeoutMs a JoinGroup asking more is INVALID_SESSION_TIMEOUT ({@code group.max.session.timeout.ms})
 * @param initialRebalanceDelayMs how long the first rebalance of an empty group waits for more joiners
 *     ({@code group.initial.rebalance.delay.ms})
 * @param maxMetadataBytes committed offset metadata above this is OFFSET_METADATA_TOO_LARGE
 *     ({@code offset.metadata.max.bytes})
 */
public record GroupConfig(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
    int maxMetadataBytes) {

  public static final int DEFAULT_MIN_SESSION_TIMEOUT_MS = 6_000;
  public static final int DEFAULT_MAX_SESSION_TIMEOUT_MS = 1_800_000;
  public static final int DEFAULT_INITIAL_REBALANCE_DELAY_MS = 3_000;
  public static final int DEFAULT_MAX_METADATA_BYTES = 4_096;

  public GroupConfig {
    if (minSessionTimeoutMs < 0 || maxSessionTimeoutMs < minSessionTimeoutMs) {
      throw new IllegalArgumentException("session timeouts must satisfy 0 <= min <= max, got " + minSessionTimeoutMs
          + " and " + maxSessionTimeoutMs);
    }
    if (initialRebalanceDelayMs < 0 || maxMetadataBytes < 0) {
      throw new IllegalArgumentException("the initial rebalance delay and metadata limit must not be negative");
    }
  }

  public static GroupConfig defaults() {
    return new GroupConfig(DEFAULT_MIN_SESSION_TIMEOUT_MS, DEFAULT_MAX_SESSION_TIMEOUT_MS,
        DEFAULT_INITIAL_REBALANCE_DELAY_MS, DEFAULT_MAX_METADATA_BYTES);
  }
}
