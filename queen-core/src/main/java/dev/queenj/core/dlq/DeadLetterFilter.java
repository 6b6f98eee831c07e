package dev.queenj.core.dlq;

import dev.queenj.core.error.InvalidRequestException;
import java.time.OffsetDateTime;

/**
 * Which dead letters to list: every filter is optional (null); {@code from} is inclusive and {@code to} exclusive,
 * both on the time the message failed.
 */
public record DeadLetterFilter(
    String queue,
    String consumerGroup,
    String partition,
    OffsetDateTime from,
    OffsetDateTime to,
    int limit,
    int offset) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 10_000;

  public DeadLetterFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT);
    }
    if (offset < 0) {
      throw new InvalidRequestException("offset must not be negative");
    }
  }
}
