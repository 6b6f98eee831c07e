package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A message in the dead-letter queue, with why and after how many retries it landed there. */
public record DeadLetter(String id, String transactionId, String partitionId, String queue, String partition,
    String consumerGroup, String errorMessage, int retryCount, JsonNode data, Instant createdAt, Instant failedAt) {

  static DeadLetter of(JsonNode node) {
    return new DeadLetter(Json.text(node, "id"), Json.text(node, "transactionId"), Json.text(node, "partitionId"),
        Json.text(node, "queue"), Json.text(node, "partition"), Json.text(node, "consumerGroup"),
        Json.text(node, "errorMessage"), node.path("retryCount").asInt(), node.path("data"),
        Json.instant(node, "createdAt"), Json.instant(node, "failedAt"));
  }
}
