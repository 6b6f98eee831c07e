package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer for one pushed item; {@code index} is its position in the request. */
public record PushResult(int index, String transactionId, PushStatus status, String messageId, String partitionId,
    String traceId, String queueName) {

  static PushResult of(JsonNode node) {
    return new PushResult(node.path("index").asInt(), Json.text(node, "transaction_id"),
        PushStatus.of(node.path("status").asText()), Json.text(node, "message_id"), Json.text(node, "partition_id"),
        Json.text(node, "trace_id"), Json.text(node, "queueName"));
  }
}
