package dev.queenj.core.kafkatxn;

/** A group's offset for one partition staged in an open transaction: the committed one may be about to change. */
public record PendingOffset(String groupId, String topic, int kafkaPartition) {}
