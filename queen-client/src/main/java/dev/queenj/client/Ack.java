package dev.queenj.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One acknowledgement. Built from the popped message, it carries the message's lease id (a stale lease is then
 * refused per item) and consumer group.
 */
public record Ack(String transactionId, String partitionId, AckStatus status, String error, String leaseId,
    String consumerGroup) {
  public Ack {
    if (transactionId == null || partitionId == null || status == null) {
      throw new IllegalArgumentException("transactionId, partitionId and status are required");
    }
  }

  public static Ack completed(Message message) {
    return of(message, AckStatus.COMPLETED, null);
  }

  public static Ack failed(Message message, String error) {
    return of(message, AckStatus.FAILED, error);
  }

  public static Ack of(Message message, AckStatus status, String error) {
    String leaseId = message.leaseId() == null || message.leaseId().isEmpty() ? null : message.leaseId();
    return new Ack(message.transactionId(), message.partitionId(), status, error, leaseId, message.consumerGroup());
  }

  ObjectNode toJson() {
    ObjectNode node = Json.object().put("transactionId", transactionId).put("partitionId", partitionId)
        .put("status", status.wire());
    Json.putIfPresent(node, "error", error);
    Json.putIfPresent(node, "leaseId", leaseId);
    Json.putIfPresent(node, "consumerGroup", consumerGroup);
    return node;
  }
}
