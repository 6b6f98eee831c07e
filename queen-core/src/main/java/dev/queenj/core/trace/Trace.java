package dev.queenj.core.trace;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A recorded trace event. {@code queue} and {@code partition} are the names of the message's queue and partition, or
 * null where the query does not say them (by message: the caller named the message) or the partition is gone.
 */
public record Trace(UUID id, UUID partitionId, String transactionId, String eventType, String data,
    String consumerGroup, OffsetDateTime createdAt, List<String> traceNames, String queue, String partition) {}
