package dev.queenj.core.push;

import java.util.UUID;

/** What happened to one pushed item: stored now, or a duplicate of the stored message {@code messageId}. */
public record PushOutcome(
    String transactionId, boolean duplicate, UUID messageId, UUID partitionId, UUID traceId, String queue) {}
