package dev.queenj.http.dlq;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.dlq.DeadLetter;
import dev.queenj.core.dlq.DeadLetterFilter;
import dev.queenj.core.dlq.DeadLetterPage;
import dev.queenj.core.dlq.DeadLetterService;
import dev.queenj.http.Json;
import dev.queenj.http.QueryParams;
import dev.queenj.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/dlq}: dead letters, filtered and paginated, with the total of all that match. */
public final class DeadLetterRoutes {
  private final DeadLetterService deadLetters;

  public DeadLetterRoutes(DeadLetterService deadLetters) {
    this.deadLetters = deadLetters;
  }

  public void mount(Router router) {
    router.get("/api/v1/dlq").handler(this::list);
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
