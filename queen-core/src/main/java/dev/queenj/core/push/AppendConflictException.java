package dev.queenj.core.push;

/**
 * An append placed a new Queen partition in one Kafka partition while a concurrent append, which saw a different
 * Kafka partition count of the queue (it grew in between), placed it in another and committed first. The transaction
 * is rolled back so the conversation never spans two logs; trying again finds the committed placement.
 */
public final class PartitionPlacedConcurrentlyException extends RuntimeException {
  PartitionPlacedConcurrentlyException(String queue) {
    super("a partition of queue " + queue + " was placed concurrently", null, false, false);
  }
}
