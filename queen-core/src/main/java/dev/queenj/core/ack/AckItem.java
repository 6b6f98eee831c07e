package dev.queenj.core.ack;

import dev.queenj.core.pop.PopRequest;

/**
 * One acknowledgement, as received. {@code partitionId} and {@code status} stay unparsed text so that a malformed
 * one fails only its own item; {@code leaseId} null skips the lease check; a malformed one never matches.
 */
public record AckItem(
    String transactionId, String partitionId, String status, String error, String consumerGroup, String leaseId) {

  public AckItem {
    if (consumerGroup == null || consumerGroup.isEmpty()) {
      consumerGroup = PopRequest.QUEUE_MODE;
    }
  }
}
