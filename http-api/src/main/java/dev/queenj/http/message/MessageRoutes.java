package dev.queenj.http.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.message.GroupConsumption;
import dev.queenj.core.message.MessageDetail;
import dev.queenj.core.message.MessageFilter;
import dev.queenj.core.message.MessageService;
import dev.queenj.core.message.MessageStatus;
import dev.queenj.core.message.MessageSummary;
import dev.queenj.core.pop.PopRequest;
import dev.queenj.http.Json;
import dev.queenj.http.QueryParams;
import dev.queenj.http.Replies;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * {@code GET /api/v1/messages} (a filtered page of messages without payloads), and {@code GET} and {@code DELETE
 * /api/v1/messages/:partitionId/:transactionId}.
 */
public final class MessageRoutes {
  private static final String PATH = "/api/v1/messages/:partitionId/:transactionId";
  private final MessageService messages;

  public MessageRoutes(MessageService messages) {
    this.messages = messages;
  }

  public void mount(Router router) {
    router.get("/api/v1/messages").handler(ctx -> Replies.ok(ctx, list(messages, ctx, null)));
    router.get(PATH).handler(this::get);
    router.delete(PATH).handler(this::delete);
  }

  /**
   * The page of messages the request's filters ask for, rendered; {@code queue} non-null fixes the queue (a route
   * naming it in its path).
   */
  public static Future<ObjectNode> list(MessageService messages, RoutingContext ctx, String queue) {
    String status = QueryParams.string(ctx, "status", null);
    // Queen's listing tells where each message stands for queue mode; "*" asks for the overall status (ours)
    String group = QueryParams.string(ctx, "consumerGroup", PopRequest.QUEUE_MODE);
    MessageFilter filter = new MessageFilter(queue != null ? queue : QueryParams.string(ctx, "queue", null),
        QueryParams.string(ctx, "partition", null), QueryParams.string(ctx, "ns", null),
        QueryParams.string(ctx, "task", null), status == null ? null : MessageStatus.ofWireName(status),
        MessageFilter.EVERY_GROUP.equals(group) ? null : group, QueryParams.time(ctx, "from"),
        QueryParams.time(ctx, "to"),
        QueryParams.integer(ctx, "limit", MessageFilter.DEFAULT_LIMIT), QueryParams.integer(ctx, "offset", 0));
    return messages.list(filter).map(page -> {
      ObjectNode out = Json.object();
      ArrayNode list = out.putArray("messages");
      for (MessageSummary m : page.messages()) {
        list.addObject().put("id", m.id().toString()).put("transactionId", m.transactionId())
            .put("partitionId", m.partitionId().toString()).put("queue", m.queue()).put("partition", m.partition())
            .put("namespace", m.namespace()).put("task", m.task()).put("status", m.status().wireName())
            .put("traceId", m.traceId() == null ? null : m.traceId().toString())
            .put("createdAt", Json.time(m.createdAt()));
      }
      out.putObject("pagination").put("limit", filter.limit()).put("offset", filter.offset())
          .put("hasMore", page.hasMore());
      out.put("consumerGroup", group);
      return out;
    });
  }

  private void get(RoutingContext ctx) {
    // A missing message is a 200 with an error body: that is what Queen sends on the wire.
    Replies.ok(ctx, messages.find(partitionId(ctx), ctx.pathParam("transactionId")).map(found -> found
        .map(MessageRoutes::render)
        .orElseGet(() -> Json.object().put("error", "Message not found"))));
  }

  private void delete(RoutingContext ctx) {
    UUID partitionId = partitionId(ctx);
    String transactionId = ctx.pathParam("transactionId");
    Replies.ok(ctx, messages.delete(partitionId, transactionId).map(deleted -> Json.object()
        .put("success", deleted).put("partitionId", partitionId.toString()).put("transactionId", transactionId)
        .put("message", deleted ? "Message deleted successfully" : "Message not found")));
  }

  private static UUID partitionId(RoutingContext ctx) {
    return QueryParams.pathUuid(ctx, "partitionId");
  }

  private static ObjectNode render(MessageDetail m) {
    ObjectNode out = Json.object().put("id", m.id().toString()).put("transactionId", m.transactionId())
        .put("partitionId", m.partitionId().toString()).put("queue", m.queue()).put("partition", m.partition())
        .put("namespace", m.namespace()).put("task", m.task()).put("status", m.status().wireName())
        .put("traceId", m.traceId() == null ? null : m.traceId().toString()).put("producerSub", m.producerSub())
        .put("createdAt", Json.time(m.createdAt()));
    // "data" as pops name the payload; "payload" as Queen's message detail names it, so both kinds of client read it.
    JsonNode data = m.kafkaOrigin() ? Json.kafkaValue(m.payload()) : Json.raw(m.payload());
    out.set("data", data);
    out.set("payload", data);
    GroupConsumption deadLetter = m.deadLetter().orElse(null);
    out.put("errorMessage", deadLetter == null ? null : deadLetter.errorMessage())
        .put("retryCount", deadLetter == null ? 0 : deadLetter.retryCount());
    ArrayNode groups = out.putArray("consumption");
    for (GroupConsumption g : m.consumption()) {
      groups.addObject().put("consumerGroup", g.consumerGroup()).put("status", g.status().wireName())
          .put("consumed", g.consumed()).put("retryCount", g.retryCount()).put("errorMessage", g.errorMessage())
          .put("failedAt", Json.time(g.failedAt())).put("lastConsumedAt", Json.time(g.lastConsumedAt()));
    }
    return out;
  }
}
