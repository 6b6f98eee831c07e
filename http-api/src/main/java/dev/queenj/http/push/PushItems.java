package dev.queenj.http.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.buffer.PushReceipt;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.push.PushOutcome;
import dev.queenj.http.Json;
import dev.queenj.http.Names;
import java.util.ArrayList;
import java.util.List;

/** Push items in and push results out, shared by {@code /push} and {@code /transaction}. */
public final class PushItems {
  private PushItems() {}

  /**
   * Parses an {@code items} array; any malformed item refuses the whole request (400), nothing is stored. Every item
   * gets {@code producerSub}, the authenticated caller's subject (null without one): a body cannot name it.
   */
  public static List<PushItem> parse(JsonNode items, String producerSub) {
    if (items == null || !items.isArray()) {
      throw new InvalidRequestException("items array is required");
    }
    List<PushItem> parsed = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      if (!item.isObject()) {
        throw new InvalidRequestException("each item must be an object");
      }
      JsonNode queue = item.get("queue");
      if (queue == null || !queue.isTextual() || queue.textValue().isEmpty()) {
        throw new InvalidRequestException("Queue must be a string");
      }
      Names.check("queue", queue.textValue());
      String partition = Names.check("partition",
          Json.optionalString(item, "partition", "partition must be a string"));
      String transactionId = Names.check("transactionId",
          Json.optionalString(item, "transactionId", "transactionId must be a string"));
      parsed.add(new PushItem(queue.textValue(), partition == null || partition.isEmpty() ? null : partition,
          transactionId == null || transactionId.isEmpty() ? null : transactionId,
          Json.optionalUuid(item, "traceId"), Json.bytes(item.get("payload")), producerSub));
    }
    return parsed;
  }

  /**
   * A stored push's outcomes, or for a buffered one each item's transaction id (generated now when the client sent
   * none) with {@code "status":"buffered"}: its message id is assigned when it is replayed.
   */
  public static ArrayNode render(PushReceipt receipt) {
    if (receipt instanceof PushReceipt.Stored stored) {
      return render(stored.outcomes());
    }
    List<PushItem> items = ((PushReceipt.Buffered) receipt).items();
    ArrayNode out = Json.array();
    for (int i = 0; i < items.size(); i++) {
      out.addObject().put("index", i).put("transaction_id", items.get(i).transactionId()).put("status", "buffered")
          .putNull("message_id").put("queueName", items.get(i).queue());
    }
    return out;
  }

  public static ArrayNode render(List<PushOutcome> outcomes) {
    ArrayNode out = Json.array();
    for (int i = 0; i < outcomes.size(); i++) {
      PushOutcome outcome = outcomes.get(i);
      ObjectNode node = out.addObject();
      node.put("index", i).put("transaction_id", outcome.transactionId());
      if (outcome.duplicate()) {
        node.put("status", "duplicate").put("message_id", outcome.messageId().toString());
      } else {
        node.put("status", "queued").put("message_id", outcome.messageId().toString())
            .put("partition_id", outcome.partitionId().toString())
            .put("trace_id", outcome.traceId() == null ? null : outcome.traceId().toString());
      }
      node.put("queueName", outcome.queue());
    }
    return out;
  }
}
