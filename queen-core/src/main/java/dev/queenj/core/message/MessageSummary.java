package dev.queenj.core.message;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A message as a list shows it: where it is and where it stands, without its payload. */
public record MessageSummary(
    UUID id,
    String transactionId,
    UUID partitionId,
    String queue,
    String partition,
    String namespace,
    String task,
    MessageStatus status,
    UUID traceId,
    OffsetDateTime createdAt) {}
