package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A pop's answer. Empty {@code messages} is normal: {@code reason} then says why when the server gave one
 * ({@code no_available_partition}, {@code lease_held}, {@code partition_not_found}); a long-poll that timed out has
 * none. {@code leaseId} is shared by every message of the pop (per-message lease ids are authoritative).
 */
public record PopResult(List<Message> messages, String leaseId, String consumerGroup, String reason) {
  public PopResult {
    messages = List.copyOf(messages);
  }

  public boolean isEmpty() {
    return messages.isEmpty();
  }

  static PopResult of(JsonNode node) {
    String queue = Json.text(node, "queue");
    List<Message> messages = new ArrayList<>();
    for (JsonNode message : node.path("messages")) {
      messages.add(Message.of(message, queue));
    }
    return new PopResult(messages, Json.text(node, "leaseId"), Json.text(node, "consumerGroup"),
        node.path("success").asBoolean(true) ? null : Json.text(node, "error"));
  }
}
