package dev.queenj.core.stats;

import java.time.OffsetDateTime;

/**
 * How far one consumer group is behind on one queue, over the partitions it has a cursor on.
 *
 * @param maxTimeLagSeconds age of the oldest message the group has not consumed yet (0 when caught up)
 */
public record GroupLag(String consumerGroup, String queue, long partitions, long partitionsWithLag,
    long leasesActive, long totalConsumed, OffsetDateTime lastConsumedAt, long maxTimeLagSeconds) {}
