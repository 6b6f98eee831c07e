package dev.queenj.core.streams;

import dev.queenj.core.pop.PopRequest;

/**
 * A cycle's source ack: the message by transaction id in the cycle's partition, the lease it must hold (null or
 * empty: unchecked), {@code dlq} for a failed/dlq status, how many messages it covers, and the dead-letter reason.
 */
public record CycleAck(String transactionId, String leaseId, String consumerGroup, boolean dlq, int count,
    String error) {
  public static final String DEFAULT_ERROR = "Streaming cycle reported failure";

  public CycleAck {
    if (consumerGroup == null || consumerGroup.isEmpty()) {
      consumerGroup = PopRequest.QUEUE_MODE;
    }
    if (error == null) {
      error = DEFAULT_ERROR;
    }
  }
}
