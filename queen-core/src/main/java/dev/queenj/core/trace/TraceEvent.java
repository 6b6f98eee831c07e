package dev.queenj.core.trace;

import dev.queenj.core.error.InvalidRequestException;
import java.util.List;
import java.util.UUID;

/**
 * One trace event to record on the message (partitionId, transactionId).
 *
 * @param data the event's JSON text, stored as jsonb
 * @param consumerGroup the group that recorded it, or null
 * @param traceNames names to find the event by (several messages of one workflow share a name); duplicates collapse
 */
public record TraceEvent(UUID partitionId, String transactionId, String data, String consumerGroup, String eventType,
    List<String> traceNames) {
  public static final String DEFAULT_EVENT_TYPE = "info";
  /** As long as a transaction id may be: names are keys too. */
  public static final int MAX_NAME_LENGTH = 255;
  public static final int MAX_NAMES = 100;

  public TraceEvent {
    if (partitionId == null) {
      throw new InvalidRequestException("partitionId is required");
    }
    if (transactionId == null || transactionId.isEmpty()) {
      throw new InvalidRequestException("transactionId is required");
    }
    if (data == null) {
      throw new InvalidRequestException("data is required");
    }
    if (eventType == null || eventType.isEmpty()) {
      eventType = DEFAULT_EVENT_TYPE;
    }
    traceNames = List.copyOf(traceNames);
    if (traceNames.size() > MAX_NAMES) {
      throw new InvalidRequestException("at most " + MAX_NAMES + " traceNames");
    }
    for (String name : traceNames) {
      if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
        throw new InvalidRequestException("a trace name must have 1 to " + MAX_NAME_LENGTH + " characters");
      }
    }
  }
}
