package dev.queenj.core.push;

import java.util.UUID;

/**
 * What happened to one pushed item: stored now at {@code offset} of its Kafka partition, or a duplicate of the stored
 * message {@code messageId} ({@code offset} null).
 */
public record PushOutcome(
    String transactionId, boolean duplicate, UUID messageId, UUID partitionId, UUID traceId, String queue,
    Long offset) {}
