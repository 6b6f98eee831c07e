package dev.queenj.core.group;

import java.util.UUID;

/**
 * One partition's offset a Kafka consumer group commits, at once (OffsetCommit) or inside a Kafka transaction
 * (TxnOffsetCommit, staged until it commits): the queue is resolved and the partition checked against it by the
 * protocol before it gets here.
 */
public record OffsetCommit(UUID queueId, int partition, long offset, int leaderEpoch, String metadata) {}
