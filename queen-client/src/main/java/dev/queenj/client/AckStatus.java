package dev.queenj.client;

import java.util.Locale;

/** How a message was handled. */
public enum AckStatus {
  /** Consumed; the group's cursor moves past it (and every earlier message of the partition). */
  COMPLETED,
  /** Redeliver the batch (after the queue's retryDelay) until retryLimit, then dead-letter it. */
  FAILED,
  /** Straight to the dead-letter queue. */
  DLQ,
  /** Release the lease for an immediate redelivery, counting nothing. */
  RETRY;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
