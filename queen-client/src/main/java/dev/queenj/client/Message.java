package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;

/**
 * A popped message. {@code data} is the payload as pushed ({@link NullNode} for none); {@link #data(Class)} reads it
 * as a type. {@code partitionId} and {@code leaseId} are what an ack or a lease extension needs ({@code leaseId} is
 * empty for auto-acked pops).
 */
public record Message(String id, String transactionId, String traceId, JsonNode data, String producerSub,
    Instant createdAt, String queue, String partition, String partitionId, String leaseId, String consumerGroup,
    int retryCount) {

  /** The payload as {@code type}, by Jackson; an {@link IllegalArgumentException} when it does not fit. */
  public <T> T data(Class<T> type) {
    return Json.convert(data, type);
  }

  static Message of(JsonNode node, String queue) {
    JsonNode data = node.get("data");
    return new Message(Json.text(node, "id"), Json.text(node, "transactionId"), Json.text(node, "traceId"),
        data == null ? NullNode.getInstance() : data, Json.text(node, "producerSub"), Json.instant(node, "createdAt"),
        queue, Json.text(node, "partition"), Json.text(node, "partitionId"), Json.text(node, "leaseId"),
        Json.text(node, "consumerGroup"), node.path("retryCount").asInt());
  }
}
