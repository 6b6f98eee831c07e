package dev.queenj.core.kafkatxn;

/** A producer id and epoch, as InitProducerId hands them out and every later request of the producer names them. */
public record ProducerIdentity(long producerId, short epoch) {}
