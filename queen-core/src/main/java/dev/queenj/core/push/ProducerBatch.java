package dev.queenj.core.push;

/**
 * The idempotence header of a batch of records from one producer into one log: stored once however often it is sent,
 * in sequence, never from a fenced (older) epoch.
 */
public record ProducerBatch(long producerId, short epoch, int firstSequence, int lastSequence) {}
