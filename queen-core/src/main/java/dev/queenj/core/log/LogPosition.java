package dev.queenj.core.log;

/** A place to read from or look up: a Kafka partition of a queue, and an offset, byte budget or time target. */
public record LogPosition(String queue, int kafkaPartition, long value, int maxBytes) {}
