package dev.queenj.http.transaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.error.OperationRejectedException;
import dev.queenj.core.push.PushOutcome;
import dev.queenj.core.transaction.TransactionOperation;
import dev.queenj.core.transaction.TransactionResult;
import dev.queenj.core.transaction.TransactionService;
import dev.queenj.http.Json;
import dev.queenj.http.Replies;
import dev.queenj.http.ack.AckItems;
import dev.queenj.http.auth.HttpPrincipal;
import dev.queenj.http.push.PushItems;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/transaction}: acks and pushes, all or nothing. A refused operation answers 200 with
 * {@code success:false} (Queen's wire behaviour); malformed requests are 400s.
 */
public final class TransactionRoutes {
  private final TransactionService transactions;

  public TransactionRoutes(TransactionService transactions) {
    this.transactions = transactions;
  }

  public void mount(Router router) {
    router.post("/api/v1/transaction").handler(this::run);
  }

  private void run(RoutingContext ctx) {
    JsonNode list = Json.bodyObject(ctx).get("operations");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new InvalidRequestException("operations array is required");
    }
    String transactionId = UUID.randomUUID().toString();
    String producerSub = HttpPrincipal.producerSub(ctx);
    List<TransactionOperation> operations = new ArrayList<>();
    for (JsonNode op : list) {
      String type = op.isObject() ? Json.optionalString(op, "type") : null;
      if ("ack".equals(type)) {
        operations.add(new TransactionOperation.Ack(AckItems.parse(op, null)));
      } else if ("push".equals(type)) {
        operations.add(new TransactionOperation.Push(PushItems.parse(op.get("items"), producerSub)));
      } else {
        Replies.json(ctx, 200, failed(transactionId, "Unknown operation type: " + type));
        return;
      }
    }
    Future<ObjectNode> answer = transactions.run(operations)
        .map(result -> succeeded(transactionId, result))
        .recover(failure -> failure instanceof OperationRejectedException rejected
            ? Future.succeededFuture(failed(transactionId, rejected.getMessage()))
            : Future.failedFuture(failure));
    Replies.ok(ctx, answer);
  }

  private static ObjectNode succeeded(String transactionId, TransactionResult result) {
    ObjectNode out = Json.object().put("transactionId", transactionId).put("success", true);
    ArrayNode results = out.putArray("results");
    for (TransactionResult.Step step : result.steps()) {
      ObjectNode node = results.addObject().put("index", results.size() - 1);
      if (step instanceof TransactionResult.AckStep ack) {
        node.put("type", "ack");
        AckItems.render(node, ack.outcome());
      } else {
        PushOutcome push = ((TransactionResult.PushStep) step).outcome();
        node.put("type", "push").put("success", true).put("messageId", push.messageId().toString())
            .put("partitionId", push.partitionId().toString()).put("queueName", push.queue())
            .put("transactionId", push.transactionId());
      }
    }
    return out;
  }

  private static ObjectNode failed(String transactionId, String error) {
    ObjectNode out = Json.object().put("transactionId", transactionId).put("success", false).put("error", error);
    out.putArray("results");
    return out;
  }
}
