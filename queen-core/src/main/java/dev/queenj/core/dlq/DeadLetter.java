package dev.queenj.core.dlq;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A message a consumer group gave up on. {@code payload} is the stored bytes (kept with the dead letter, so it
 * outlives the message); {@code partition} is null once the partition itself is gone, when it was dead-lettered
 * before V024 kept the name.
 */
public record DeadLetter(
    UUID messageId,
    String transactionId,
    UUID partitionId,
    String queue,
    String partition,
    String consumerGroup,
    String errorMessage,
    int retryCount,
    byte[] payload,
    OffsetDateTime createdAt,
    OffsetDateTime failedAt) {}
