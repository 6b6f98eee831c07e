package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A transaction's outcome. {@code success=false} means nothing was applied; {@code error} says why. {@code results}
 * holds one entry per ack and per pushed item, in request order, as the server sent it.
 */
public record TransactionResult(String transactionId, boolean success, String error, List<JsonNode> results) {
  public TransactionResult {
    results = List.copyOf(results);
  }

  static TransactionResult of(JsonNode node) {
    List<JsonNode> results = new ArrayList<>();
    node.path("results").forEach(results::add);
    return new TransactionResult(Json.text(node, "transactionId"), node.path("success").asBoolean(),
        Json.text(node, "error"), results);
  }
}
