package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * One message to push. {@code payload} is any JSON (a Jackson tree, or any object Jackson can write); {@code
 * partition} {@code null} means {@code "Default"}; {@code transactionId} {@code null} makes the client pick a random
 * UUID when the item is sent, so a retried push cannot store it twice (a repeated one is answered
 * {@link PushStatus#DUPLICATE}); {@code traceId} is a UUID or {@code null}.
 */
public record PushItem(String queue, String partition, JsonNode payload, String transactionId, String traceId) {
  public PushItem {
    if (queue == null || queue.isEmpty()) {
      throw new IllegalArgumentException("queue is required");
    }
  }

  public static PushItem of(String queue, Object payload) {
    return new PushItem(queue, null, Json.tree(payload), null, null);
  }

  public PushItem partition(String partition) {
    return new PushItem(queue, partition, payload, transactionId, traceId);
  }

  public PushItem transactionId(String transactionId) {
    return new PushItem(queue, partition, payload, transactionId, traceId);
  }

  public PushItem traceId(String traceId) {
    return new PushItem(queue, partition, payload, transactionId, traceId);
  }

  ObjectNode toJson() {
    ObjectNode node = Json.object().put("queue", queue);
    Json.putIfPresent(node, "partition", partition);
    node.set("payload", payload);
    // made here when the caller gave none, so a retried push is deduplicated by the server instead of stored twice
    node.put("transactionId", transactionId == null ? UUID.randomUUID().toString() : transactionId);
    Json.putIfPresent(node, "traceId", traceId);
    return node;
  }
}
