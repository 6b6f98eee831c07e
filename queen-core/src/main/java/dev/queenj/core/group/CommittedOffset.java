package dev.queenj.core.group;

/** A Kafka consumer group's committed position in one Kafka partition of a topic, as OffsetFetch returns it. */
public record CommittedOffset(String groupId, String topic, int partition, long offset, int leaderEpoch,
    String metadata) {}
