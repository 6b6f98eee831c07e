package dev.queenj.http.dlq;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.dlq.DeadLetter;
import dev.queenj.core.dlq.DeadLetterFilter;
import dev.queenj.core.dlq.DeadLetterPage;
import dev.queenj.core.dlq.DeadLetterService;
import dev.queenj.core.push.PushOutcome;
import dev.queenj.http.Json;
import dev.queenj.http.QueryParams;
import dev.queenj.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * {@code GET /api/v1/dlq}: dead letters, filtered and paginated, with the total of all that match.
 * {@code POST /api/v1/dlq/:partitionId/:transactionId/requeue} (body {@code {"consumerGroup": ...}}, optional when one
 * group dead-lettered the message): the message appended again as a new message, and the dead letter removed.
 * {@code DELETE /api/v1/dlq/:partitionId/:transactionId?consumerGroup=}: the dead letter discarded. Both answer 404
 * {@code {"error":"Dead letter not found"}} when there is no such dead letter (any more).
 */
public final class DeadLetterRoutes {
  private static final String ONE = "/api/v1/dlq/:partitionId/:transactionId";
  private final DeadLetterService deadLetters;

  public DeadLetterRoutes(DeadLetterService deadLetters) {
    this.deadLetters = deadLetters;
  }

  public void mount(Router router) {
    router.get("/api/v1/dlq").handler(this::list);
    router.post(ONE + "/requeue").handler(this::requeue);
    router.delete(ONE).handler(this::discard);
  }

  private void requeue(RoutingContext ctx) {
    UUID partitionId = QueryParams.pathUuid(ctx, "partitionId");
    String transactionId = ctx.pathParam("transactionId");
    String group = Json.optionalString(Json.optionalBodyObject(ctx), "consumerGroup");
    Replies.ok(ctx, deadLetters.requeue(partitionId, transactionId, group, Json::nativePayload).map(requeued -> {
      PushOutcome message = requeued.message();
      ObjectNode out = named(partitionId, transactionId, requeued.consumerGroup());
      out.putObject("requeued").put("transactionId", message.transactionId())
          .put("messageId", message.messageId().toString()).put("partitionId", message.partitionId().toString())
          .put("queue", message.queue()).put("offset", message.offset())
          .put("traceId", message.traceId() == null ? null : message.traceId().toString());
      return out;
    }));
  }

  private void discard(RoutingContext ctx) {
    UUID partitionId = QueryParams.pathUuid(ctx, "partitionId");
    String transactionId = ctx.pathParam("transactionId");
    Replies.ok(ctx, deadLetters.discard(partitionId, transactionId, QueryParams.string(ctx, "consumerGroup", null))
        .map(group -> named(partitionId, transactionId, group)));
  }

  /** The dead letter acted on, as the listing names it. */
  private static ObjectNode named(UUID partitionId, String transactionId, String group) {
    return Json.object().put("success", true).put("partitionId", partitionId.toString())
        .put("transactionId", transactionId).put("consumerGroup", group);
  }

  private void list(RoutingContext ctx) {
    DeadLetterFilter filter = new DeadLetterFilter(QueryParams.string(ctx, "queue", null),
        QueryParams.string(ctx, "consumerGroup", null), QueryParams.string(ctx, "partition", null),
        QueryParams.time(ctx, "from"), QueryParams.time(ctx, "to"), QueryParams.integer(ctx, "limit", DeadLetterFilter.DEFAULT_LIMIT),
        QueryParams.integer(ctx, "offset", 0));
    Replies.ok(ctx, deadLetters.list(filter).map(page -> render(page, filter)));
  }

  private static ObjectNode render(DeadLetterPage page, DeadLetterFilter filter) {
    ObjectNode out = Json.object();
    ArrayNode messages = out.putArray("messages");
    for (DeadLetter d : page.messages()) {
      ObjectNode node = messages.addObject().put("id", d.messageId().toString())
          .put("transactionId", d.transactionId()).put("partitionId", d.partitionId().toString())
          .put("queue", d.queue()).put("partition", d.partition()).put("consumerGroup", d.consumerGroup())
          .put("errorMessage", d.errorMessage()).put("retryCount", d.retryCount());
      // a dead letter keeps only the payload, which a Kafka producer may have written as anything: parsed here (off
      // the hot path) so that a value that is not JSON is shown as a string, as pops show it
      node.set("data", Json.kafkaValue(d.payload()));
      node.put("createdAt", Json.time(d.createdAt())).put("failedAt", Json.time(d.failedAt()));
    }
    out.putObject("pagination").put("limit", filter.limit()).put("offset", filter.offset())
        .put("total", page.total());
    return out;
  }
}
