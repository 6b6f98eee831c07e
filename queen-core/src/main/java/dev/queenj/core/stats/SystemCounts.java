package dev.queenj.core.stats;

/** Sizes of the whole broker for an overview; {@code messagesEstimate} is Postgres' estimate, not a count. */
public record SystemCounts(long queues, long partitions, long consumerGroups, long deadLetters,
    long messagesEstimate) {}
