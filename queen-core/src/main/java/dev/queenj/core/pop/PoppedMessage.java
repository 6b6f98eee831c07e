package dev.queenj.core.pop;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A delivered message with the lease that covers it. {@code payload} is the stored bytes, or null. */
public record PoppedMessage(
    UUID id,
    String transactionId,
    UUID traceId,
    byte[] payload,
    String producerSub,
    OffsetDateTime createdAt,
    UUID partitionId,
    String partition,
    String leaseId,
    int retryCount) {}
