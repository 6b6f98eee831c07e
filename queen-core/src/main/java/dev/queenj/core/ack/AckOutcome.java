package dev.queenj.core.ack;

/** The result of one acknowledgement; failures are reported here, not thrown. */
public record AckOutcome(
    String transactionId,
    boolean success,
    String error,
    String queueName,
    String partitionName,
    boolean leaseReleased,
    boolean dlq) {

  static AckOutcome failure(String transactionId, String error) {
    return new AckOutcome(transactionId, false, error, null, null, false, false);
  }
}
