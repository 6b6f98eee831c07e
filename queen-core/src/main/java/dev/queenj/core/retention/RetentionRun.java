package dev.queenj.core.retention;

/**
 * What one cycle of a background service did. {@code ran} is false when another instance held the service's lease
 * (the cycle was left to it); {@code complete} is false when the cycle stopped at its time budget with work left;
 * {@code vacuumed} says whether it vacuumed the messages table after deleting. The last three count what retention
 * forgot of Kafka producers: sequence states in logs, producer ids and transactional ids past their expiration.
 */
public record RetentionRun(
    String service,
    boolean ran,
    boolean complete,
    long logStartsAdvanced,
    long messagesDeleted,
    long cursorsMoved,
    long deadLettersDeleted,
    long partitionsRemoved,
    boolean vacuumed,
    long millis,
    long producerStatesExpired,
    long producerIdsExpired,
    long transactionalIdsExpired) {

  static RetentionRun skipped(String service) {
    return new RetentionRun(service, false, true, 0, 0, 0, 0, 0, false, 0, 0, 0, 0);
  }
}
