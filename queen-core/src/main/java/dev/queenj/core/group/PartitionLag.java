package dev.queenj.core.group;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * How far one consumer group is behind on one partition. {@code hasState} is false for a partition of a queue the
 * group reads but has not popped yet; its lag then counts from where its first pop would start. For a Kafka group
 * ({@code protocol} KAFKA) the partition is a Kafka partition (its number as name, no partition id), the time of the
 * last commit stands for the last consumption and the committed offset for the records consumed.
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
    OffsetDateTime subscriptionStart,
    GroupProtocol protocol) {

  /** A Kafka group's partition, as the group views show it. */
  static PartitionLag of(KafkaPartitionLag k) {
    return new PartitionLag(k.groupId(), k.queue(), null, Integer.toString(k.kafkaPartition()), true, null,
        k.committedAt(), k.committedOffset(), k.offsetLag(), k.timeLagSeconds(), false, null, null,
        GroupProtocol.KAFKA);
  }
}
