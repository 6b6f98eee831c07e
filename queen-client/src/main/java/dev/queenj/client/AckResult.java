package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer for one ack; {@code success=false} with {@code error} (e.g. "Invalid or expired lease") is data. */
public record AckResult(int index, String transactionId, boolean success, String error, String queueName,
    String partitionName, boolean leaseReleased, boolean dlq) {

  static AckResult of(JsonNode node) {
    return new AckResult(node.path("index").asInt(), Json.text(node, "transactionId"),
        node.path("success").asBoolean(), Json.text(node, "error"), Json.text(node, "queueName"),
        Json.text(node, "partitionName"), node.path("leaseReleased").asBoolean(), node.path("dlq").asBoolean());
  }
}
