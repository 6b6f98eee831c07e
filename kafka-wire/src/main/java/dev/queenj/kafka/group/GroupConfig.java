package dev.queenj.kafka.group;

/**
 * Group coordinator settings, with Kafka brokers' defaults. The session timeout bounds and the initial rebalance
 * delay are server settings ({@code QUEEN_KAFKA_GROUP_*}); CI suites set the delay to 0, as Testcontainers' Kafka
 * does, so that a group's first join is answered at once.
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
    if (minSessionTimeoutMs < 0) {
      throw new IllegalArgumentException(
          "QUEEN_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS must not be negative, got " + minSessionTimeoutMs);
    }
    if (maxSessionTimeoutMs < minSessionTimeoutMs) {
      throw new IllegalArgumentException("QUEEN_KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS (" + maxSessionTimeoutMs
          + ") must not be below QUEEN_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS (" + minSessionTimeoutMs + ")");
    }
    if (initialRebalanceDelayMs < 0) {
      throw new IllegalArgumentException(
          "QUEEN_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS must not be negative, got " + initialRebalanceDelayMs);
    }
    if (maxMetadataBytes < 0) {
      throw new IllegalArgumentException("the offset metadata limit must not be negative, got " + maxMetadataBytes);
    }
  }

  /** Kafka's defaults except for the three timings a deployment sets. */
  public static GroupConfig of(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs) {
    return new GroupConfig(minSessionTimeoutMs, maxSessionTimeoutMs, initialRebalanceDelayMs,
        DEFAULT_MAX_METADATA_BYTES);
  }

  public static GroupConfig defaults() {
    return new GroupConfig(DEFAULT_MIN_SESSION_TIMEOUT_MS, DEFAULT_MAX_SESSION_TIMEOUT_MS,
        DEFAULT_INITIAL_REBALANCE_DELAY_MS, DEFAULT_MAX_METADATA_BYTES);
  }
}
