package dev.queenj.core.ack;

import java.util.Locale;
import java.util.Optional;

/** How a consumer settles a message (spec §3.4). */
public enum AckStatus {
  /** Consumed: the cursor moves to the message ("success" is an alias). */
  COMPLETED,
  /** Batch-level retry until the queue's retryLimit, then the dead-letter queue. */
  FAILED,
  /** Straight to the dead-letter queue; the cursor moves past it. */
  DLQ,
  /** Release the lease without touching counters: immediate redelivery. */
  RETRY;

  public static Optional<AckStatus> parse(String wire) {
    if (wire == null) {
      return Optional.of(COMPLETED);
    }
    return switch (wire.toLowerCase(Locale.ROOT)) {
      case "completed", "success" -> Optional.of(COMPLETED);
      case "failed" -> Optional.of(FAILED);
      case "dlq" -> Optional.of(DLQ);
      case "retry" -> Optional.of(RETRY);
      default -> Optional.empty();
    };
  }
}
