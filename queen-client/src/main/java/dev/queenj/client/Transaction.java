package dev.queenj.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Acks and pushes applied in one database transaction, all or nothing: {@code Transaction.builder()
 * .ack(Ack.completed(input)).push(PushItem.of("out", result)).build()}. Inside a transaction an ack
 * {@code failed}/{@code dlq} dead-letters at once.
 */
public final class Transaction {
  private final ArrayNode operations;

  private Transaction(ArrayNode operations) {
    this.operations = operations;
  }

  public static Builder builder() {
    return new Builder();
  }

  ObjectNode toJson() {
    ObjectNode body = Json.object();
    body.set("operations", operations.deepCopy());
    return body;
  }

  /** Collects operations in order. */
  public static final class Builder {
    private final List<ObjectNode> operations = new ArrayList<>();

    private Builder() {
    }

    public Builder ack(Ack ack) {
      operations.add(ack.toJson().put("type", "ack"));
      return this;
    }

    public Builder push(PushItem... items) {
      ObjectNode push = Json.object().put("type", "push");
      ArrayNode array = push.putArray("items");
      for (PushItem item : items) {
        array.add(item.toJson());
      }
      operations.add(push);
      return this;
    }

    public Transaction build() {
      if (operations.isEmpty()) {
        throw new IllegalStateException("a transaction needs at least one operation");
      }
      ArrayNode array = Json.MAPPER.createArrayNode();
      operations.forEach(array::add);
      return new Transaction(array);
    }
  }
}
