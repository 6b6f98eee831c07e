package dev.queenj.core.group;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * How far one consumer group is behind on one partition. {@code hasState} is false for a partition of a queue the
 * group reads but has not popped yet; its lag then counts from where its first pop would start.
 *
 * @param offsetLag messages the group has not consumed yet
 * @param timeLagSeconds age of the oldest of them, 0 when caught up
 * @param subscriptionMode the group's stored subscription mode on the queue, null when none is stored
 */
public record PartitionLag(
    String consumerGroup,
    String queue,
    UUID partitionId,
    String partition,
    boolean hasState,
    String workerId,
    OffsetDateTime lastConsumedAt,
    long totalConsumed,
    long offsetLag,
    long timeLagSeconds,
    boolean leaseActive,
    String subscriptionMode,
    OffsetDateTime subscriptionStart) {}
