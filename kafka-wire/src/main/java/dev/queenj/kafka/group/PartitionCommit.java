package dev.queenj.kafka.group;

/** One partition of an OffsetCommit request, before its topic is resolved. */
record PartitionCommit(String topic, int partition, long offset, int leaderEpoch, String metadata) {}
