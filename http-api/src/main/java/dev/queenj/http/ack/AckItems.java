package dev.queenj.http.ack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.ack.AckItem;
import dev.queenj.core.ack.AckOutcome;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.http.Json;
import java.util.List;

/** Ack items in and ack results out, shared by {@code /ack}, {@code /ack/batch} and {@code /transaction}. */
public final class AckItems {
  private AckItems() {}

  /** One acknowledgement; a wrongly typed field is a 400, missing ids are per-item errors. */
  public static AckItem parse(JsonNode node, String groupOverride) {
    if (!node.isObject()) {
      throw new InvalidRequestException("each acknowledgment must be an object");
    }
    String group = groupOverride != null ? groupOverride : Json.optionalString(node, "consumerGroup");
    return new AckItem(Json.optionalString(node, "transactionId"), Json.optionalString(node, "partitionId"),
        Json.optionalString(node, "status"), Json.optionalString(node, "error"), group,
        Json.optionalString(node, "leaseId"));
  }

  /** Fills the fields every ack answer carries; callers add their own (index, type). */
  public static ObjectNode render(ObjectNode node, AckOutcome outcome) {
    node.put("transactionId", outcome.transactionId()).put("success", outcome.success())
        .put("error", outcome.error()).put("queueName", outcome.queueName())
        .put("partitionName", outcome.partitionName()).put("leaseReleased", outcome.leaseReleased())
        .put("dlq", outcome.dlq());
    return node;
  }

  public static ArrayNode render(List<AckOutcome> outcomes) {
    ArrayNode out = Json.array();
    for (int i = 0; i < outcomes.size(); i++) {
      render(out.addObject().put("index", i), outcomes.get(i));
    }
    return out;
  }
}
