package dev.queenj.core.message;

import dev.queenj.core.error.InvalidRequestException;
import java.time.OffsetDateTime;

/**
 * Which messages to list: every filter is optional (null). {@code partition} is a partition name; {@code from} is
 * inclusive and {@code to} exclusive, on the time the message was created. {@code status} and each message's status
 * are relative to {@code consumerGroup} (Queen's listing uses queue mode's), or overall when it is null (as
 * {@link MessageStatus#overall} says).
 * {@code offset} is bounded too, since a page is found by reading its offset's worth of messages first.
 */
public record MessageFilter(
    String queue,
    String partition,
    String namespace,
    String task,
    MessageStatus status,
    String consumerGroup,
    OffsetDateTime from,
    OffsetDateTime to,
    int limit,
    int offset) {

  public static final int DEFAULT_LIMIT = 200;
  public static final int MAX_LIMIT = 1_000;
  public static final int MAX_OFFSET = 10_000;
  /** The {@code consumerGroup} value asking for the overall status instead of one group's. */
  public static final String EVERY_GROUP = "*";

  public MessageFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT);
    }
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new InvalidRequestException("offset must be between 0 and " + MAX_OFFSET
          + " (narrow the list with from/to instead)");
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidRequestException("from must be before to");
    }
  }
}
