package dev.queenj.core.pop;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A delivered message with the lease that covers it. {@code payload} is the stored bytes, or null: JSON text for a
 * native push, the record value as produced for a Kafka record ({@code kafkaOrigin}), which need not be JSON.
 */
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
    int retryCount,
    boolean kafkaOrigin) {}
