package dev.queenj.kafka.group;

import java.util.UUID;

/** One partition's offset to store for a group: the queue is resolved, the partition checked against it. */
record OffsetCommit(UUID queueId, int partition, long offset, int leaderEpoch, String metadata) {}
