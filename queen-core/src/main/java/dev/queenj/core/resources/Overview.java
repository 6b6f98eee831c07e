package dev.queenj.core.resources;

import java.time.OffsetDateTime;

/**
 * The whole system at a glance, from the counts every view over all queues shares ({@link ResourceService}).
 *
 * @param namespaces distinct non-empty namespaces over all queues ({@code tasks} likewise)
 * @param timeLag over every (partition, consumer group) pair: age in seconds of the oldest unconsumed message
 * @param offsetLag over the same pairs: unconsumed messages
 * @param ingestedPerSecond messages stored per second, averaged over the last minute
 */
public record Overview(
    int queues,
    int partitions,
    int namespaces,
    int tasks,
    MessageStats messages,
    Distribution timeLag,
    Distribution offsetLag,
    double ingestedPerSecond,
    OffsetDateTime timestamp) {}
