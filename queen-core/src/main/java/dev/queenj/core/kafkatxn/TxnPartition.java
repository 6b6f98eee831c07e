package dev.queenj.core.kafkatxn;

import java.util.UUID;

/** One Kafka partition (log) of a queue, as a transaction names it. */
public record TxnPartition(UUID queueId, int kafkaPartition) {}
