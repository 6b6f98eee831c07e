package dev.queenj.core.stats;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A queue's identity with its number of partitions and of dead letters. */
public record QueueSize(UUID id, String name, String namespace, String task, OffsetDateTime createdAt,
    long partitions, long deadLetters) {}
