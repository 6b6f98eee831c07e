package dev.queenj.core.resources;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One partition with its message counts.
 *
 * @param oldestMessage creation time of its oldest stored message, null when empty
 * @param ingestedLastMinute messages stored during the last minute
 */
public record PartitionStats(
    UUID id,
    UUID queueId,
    String name,
    OffsetDateTime createdAt,
    MessageStats stats,
    OffsetDateTime oldestMessage,
    OffsetDateTime newestMessage,
    long ingestedLastMinute) {}
