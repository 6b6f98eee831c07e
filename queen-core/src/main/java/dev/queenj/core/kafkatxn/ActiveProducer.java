package dev.queenj.core.kafkatxn;

/**
 * A producer with a sequence state in one log, as DescribeProducers reports it: its epoch, last sequence and when it
 * last wrote there (ms).
 */
public record ActiveProducer(TxnPartition log, long producerId, short epoch, int lastSequence, long lastWriteMs) {}
