package dev.queenj.core.group;

import java.time.OffsetDateTime;

/**
 * How far one Kafka consumer group is behind on one Kafka partition (a queue's log) it committed an offset on.
 *
 * @param offsetLag records from the committed offset (or the log start, when retention passed it) to the log end
 * @param timeLagSeconds age of the first of them, 0 when caught up
 * @param coordinated whether an instance holds the group's coordinator lease: the group may have live members then;
 *     without it the group has none
 */
public record KafkaPartitionLag(
    String groupId,
    String queue,
    int kafkaPartition,
    long committedOffset,
    OffsetDateTime committedAt,
    long logStartOffset,
    long logEndOffset,
    long offsetLag,
    long timeLagSeconds,
    boolean coordinated) {}
