package dev.queenj.kafka.group;

/** A group's committed position in one Kafka partition of a topic, as OffsetFetch returns it. */
record CommittedOffset(String groupId, String topic, int partition, long offset, int leaderEpoch, String metadata) {}
