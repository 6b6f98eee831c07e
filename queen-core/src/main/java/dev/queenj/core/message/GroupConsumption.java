package dev.queenj.core.message;

import java.time.OffsetDateTime;

/**
 * How one consumer group stands with a message.
 *
 * @param retryCount for a dead letter, the retries it had; for an unconsumed message, the failed deliveries of the
 *     group's current batch (what its next pop reports); else 0
 * @param errorMessage why the group gave up on it, for a dead letter
 */
public record GroupConsumption(
    String consumerGroup,
    MessageStatus status,
    int retryCount,
    String errorMessage,
    OffsetDateTime failedAt,
    OffsetDateTime lastConsumedAt) {

  /** Whether the group's cursor is past the message: it consumed it or gave up on it. */
  public boolean consumed() {
    return status == MessageStatus.COMPLETED || status == MessageStatus.DEAD_LETTER;
  }
}
