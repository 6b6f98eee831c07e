package dev.queenj.core.kafkatxn;

import java.util.UUID;

/** A consumer-group offset committed inside a transaction (TxnOffsetCommit), stored only if it commits. */
public record StagedOffset(UUID queueId, int kafkaPartition, long offset, int leaderEpoch, String metadata) {}
